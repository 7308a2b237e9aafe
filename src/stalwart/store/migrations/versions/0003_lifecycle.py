"""lifecycle: model aliases, customer pins, rule sets and counters, escalations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # generated from stalwart.store.schema by alembic autogenerate, then reviewed
    op.create_table('model_aliases',
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['model', 'version'],
                            ['model_versions.model', 'model_versions.version'],
                            name='fk_model_aliases_version_model_versions'),
    sa.PrimaryKeyConstraint('model', 'alias', name=op.f('pk_model_aliases'))
    )
    op.create_table('customer_pins',
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('customer', sa.String(length=200), nullable=False),
    sa.Column('version', sa.String(length=200), nullable=False),
    sa.Column('pinned_at', sa.DateTime(), nullable=False),
    sa.Column('pinned_by', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['model', 'version'],
                            ['model_versions.model', 'model_versions.version'],
                            name='fk_customer_pins_version_model_versions'),
    sa.PrimaryKeyConstraint('model', 'customer', name=op.f('pk_customer_pins'))
    )
    op.create_table('rule_sets',
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('model', 'version', name=op.f('pk_rule_sets'))
    )
    op.create_table('rule_counters',
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('rule_id', sa.String(length=200), nullable=False),
    sa.Column('hits', sa.BigInteger(), nullable=False),
    sa.Column('changed', sa.BigInteger(), nullable=False),
    sa.Column('rejected', sa.BigInteger(), nullable=False),
    sa.Column('routed', sa.BigInteger(), nullable=False),
    sa.Column('last_hit_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('model', 'rule_id', name=op.f('pk_rule_counters'))
    )
    op.create_table('escalations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('event_id', sa.String(length=200), nullable=True),
    sa.Column('payload', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('severity', sa.String(length=20), nullable=False),
    sa.Column('customer', sa.String(length=200), nullable=True),
    sa.Column('expected', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('analysis', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index('ix_escalations_model_status', ['model', 'status'], unique=False)
        batch_op.create_index('ix_escalations_status_due_at', ['status', 'due_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_status_due_at')
        batch_op.drop_index('ix_escalations_model_status')

    op.drop_table('escalations')
    op.drop_table('rule_counters')
    op.drop_table('rule_sets')
    op.drop_table('customer_pins')
    op.drop_table('model_aliases')
