"""Scheduled inbox ingestion: document leases, inbox files, run summaries; failure tracebacks.

Revision ID: 0002_inbox
Revises: 0001_baseline
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_inbox"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_leases',
    sa.Column('doc_key', sa.String(length=64), nullable=False),
    sa.Column('owner', sa.String(length=96), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('doc_key')
    )
    op.create_table('inbox_files',
    sa.Column('path', sa.String(length=1024), nullable=False),
    sa.Column('doc_id', sa.String(length=255), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('doc_key', sa.String(length=64), nullable=False),
    sa.Column('previous_key', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('n_pages', sa.Integer(), nullable=True),
    sa.Column('n_statements', sa.Integer(), nullable=True),
    sa.Column('n_stats', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('path')
    )
    op.create_index(op.f('ix_inbox_files_doc_id'), 'inbox_files', ['doc_id'], unique=False)
    op.create_table('inbox_runs',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('inbox', sa.Text(), nullable=False),
    sa.Column('runner', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('files_seen', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('skipped', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('statements', sa.Integer(), nullable=False),
    sa.Column('stats', sa.Integer(), nullable=False),
    sa.Column('duration_s', sa.Float(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.add_column('ingest_failures', sa.Column('traceback', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ingest_failures') as batch:
        batch.drop_column('traceback')
    op.drop_table('inbox_runs')
    op.drop_index(op.f('ix_inbox_files_doc_id'), table_name='inbox_files')
    op.drop_table('inbox_files')
    op.drop_table('document_leases')
