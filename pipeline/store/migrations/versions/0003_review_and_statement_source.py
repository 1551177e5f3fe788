"""Review app tables and where a statement came from (text, table cell, caption).

Both arrived on main through ``create_all``; databases made there already have them, so each
step here is skipped when its table or column exists.

Revision ID: 0003_review_source
Revises: 0002_inbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_review_source"
down_revision = "0002_inbox"
branch_labels = None
depends_on = None


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    tables = _tables()
    if 'review_audit' not in tables:
        op.create_table('review_audit',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('item_id', sa.String(length=40), nullable=False),
        sa.Column('doc', sa.String(length=255), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=16), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        op.create_index(op.f('ix_review_audit_doc'), 'review_audit', ['doc'], unique=False)
        op.create_index(op.f('ix_review_audit_item_id'), 'review_audit', ['item_id'], unique=False)
        op.create_index(op.f('ix_review_audit_username'), 'review_audit', ['username'], unique=False)
    if 'review_sessions' not in tables:
        op.create_table('review_sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('token_hash')
        )
        op.create_index(op.f('ix_review_sessions_username'), 'review_sessions', ['username'], unique=False)
    if 'review_state' not in tables:
        op.create_table('review_state',
        sa.Column('item_id', sa.String(length=40), nullable=False),
        sa.Column('doc', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('item_id')
        )
        op.create_index(op.f('ix_review_state_doc'), 'review_state', ['doc'], unique=False)
    if 'review_users' not in tables:
        op.create_table('review_users',
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('password_hash', sa.Text(), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('username')
        )
    columns = _columns('statements')
    if 'source' not in columns:  # earlier statements all came from body text
        op.add_column('statements', sa.Column('source', sa.String(length=8), nullable=False,
                                              server_default='text'))
    if 'table_id' not in columns:
        op.add_column('statements', sa.Column('table_id', sa.String(length=64), nullable=True))
    if 'row' not in columns:
        op.add_column('statements', sa.Column('row', sa.Integer(), nullable=True))
    if 'column' not in columns:
        op.add_column('statements', sa.Column('column', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('statements') as batch:
        for name in ('column', 'row', 'table_id', 'source'):
            batch.drop_column(name)
    op.drop_table('review_users')
    op.drop_index(op.f('ix_review_state_doc'), table_name='review_state')
    op.drop_table('review_state')
    op.drop_index(op.f('ix_review_sessions_username'), table_name='review_sessions')
    op.drop_table('review_sessions')
    op.drop_index(op.f('ix_review_audit_username'), table_name='review_audit')
    op.drop_index(op.f('ix_review_audit_item_id'), table_name='review_audit')
    op.drop_index(op.f('ix_review_audit_doc'), table_name='review_audit')
    op.drop_table('review_audit')
