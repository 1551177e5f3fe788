"""Baseline: the schema of the release before migrations (tables made by ``create_all``).

Revision ID: 0001_baseline
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('curation_decisions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('statement_id', sa.String(length=40), nullable=False),
    sa.Column('curator', sa.String(length=128), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('edited', sa.JSON(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_curation_decisions_statement_id'), 'curation_decisions', ['statement_id'], unique=False)
    op.create_table('documents',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('doc_id', sa.String(length=255), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('source_path', sa.Text(), nullable=False),
    sa.Column('source_type', sa.String(length=8), nullable=False),
    sa.Column('n_pages', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('extracted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extractor_fingerprint', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('key'),
    sa.UniqueConstraint('doc_id', 'content_hash')
    )
    op.create_index(op.f('ix_documents_content_hash'), 'documents', ['content_hash'], unique=False)
    op.create_index(op.f('ix_documents_doc_id'), 'documents', ['doc_id'], unique=False)
    op.create_table('ingest_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('doc_id', sa.String(length=255), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('quarantined_to', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_ingest_failures_doc_id'), 'ingest_failures', ['doc_id'], unique=False)
    op.create_table('runs',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('pipeline_version', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('mentions',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('doc_key', sa.String(length=64), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('label', sa.String(length=32), nullable=False),
    sa.Column('canonical', sa.Text(), nullable=False),
    sa.Column('identifier', sa.String(length=64), nullable=True),
    sa.Column('match', sa.String(length=16), nullable=False),
    sa.Column('model', sa.String(length=128), nullable=True),
    sa.Column('lexicon_version', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['doc_key'], ['documents.key'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', 'doc_key')
    )
    op.create_index(op.f('ix_mentions_label'), 'mentions', ['label'], unique=False)
    op.create_table('scores',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('metric', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_scores_run_id'), 'scores', ['run_id'], unique=False)
    op.create_table('statements',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('doc_key', sa.String(length=64), nullable=False),
    sa.Column('doc', sa.String(length=255), nullable=False),
    sa.Column('drug', sa.Text(), nullable=True),
    sa.Column('drug_id', sa.String(length=64), nullable=True),
    sa.Column('combined_with', sa.JSON(), nullable=False),
    sa.Column('target', sa.Text(), nullable=True),
    sa.Column('target_id', sa.String(length=64), nullable=True),
    sa.Column('interaction', sa.String(length=16), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('effect', sa.String(length=16), nullable=True),
    sa.Column('context', sa.Text(), nullable=True),
    sa.Column('hedged', sa.Boolean(), nullable=False),
    sa.Column('negated', sa.Boolean(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('section', sa.Text(), nullable=True),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('model', sa.String(length=128), nullable=True),
    sa.Column('lexicon_version', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['doc_key'], ['documents.key'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', 'doc_key')
    )
    op.create_index(op.f('ix_statements_doc'), 'statements', ['doc'], unique=False)
    op.create_table('trial_stats',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('doc_key', sa.String(length=64), nullable=False),
    sa.Column('doc', sa.String(length=255), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('measure', sa.String(length=32), nullable=False),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['doc_key'], ['documents.key'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', 'doc_key')
    )
    op.create_index(op.f('ix_trial_stats_doc'), 'trial_stats', ['doc'], unique=False)
    op.create_index(op.f('ix_trial_stats_measure'), 'trial_stats', ['measure'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_trial_stats_measure'), table_name='trial_stats')
    op.drop_index(op.f('ix_trial_stats_doc'), table_name='trial_stats')
    op.drop_table('trial_stats')
    op.drop_index(op.f('ix_statements_doc'), table_name='statements')
    op.drop_table('statements')
    op.drop_index(op.f('ix_scores_run_id'), table_name='scores')
    op.drop_table('scores')
    op.drop_index(op.f('ix_mentions_label'), table_name='mentions')
    op.drop_table('mentions')
    op.drop_table('runs')
    op.drop_index(op.f('ix_ingest_failures_doc_id'), table_name='ingest_failures')
    op.drop_table('ingest_failures')
    op.drop_index(op.f('ix_documents_doc_id'), table_name='documents')
    op.drop_index(op.f('ix_documents_content_hash'), table_name='documents')
    op.drop_table('documents')
    op.drop_index(op.f('ix_curation_decisions_statement_id'), table_name='curation_decisions')
    op.drop_table('curation_decisions')
