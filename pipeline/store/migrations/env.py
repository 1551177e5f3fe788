"""Alembic environment: runs on the connection that ``pipeline.store.migrate`` hands over."""

from alembic import context

from pipeline.store import inbox_models  # noqa: F401  (registers the inbox tables)
from pipeline.review import models as review_models  # noqa: F401  (and the review app's)
from pipeline.store.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
