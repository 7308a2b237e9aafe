"""monitor_state: persisted alert and trigger state of each monitor

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # generated from stalwart.store.schema by alembic autogenerate, then reviewed
    op.create_table('monitor_state',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('monitor', sa.String(length=200), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('last_window_end', sa.DateTime(), nullable=True),
    sa.Column('last_run', sa.DateTime(), nullable=True),
    sa.Column('lease_owner', sa.String(length=200), nullable=True),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('updated', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_state')),
    sa.UniqueConstraint('monitor', name=op.f('uq_monitor_state_monitor'))
    )


def downgrade() -> None:
    op.drop_table('monitor_state')
