"""History store: datasets, scenarios and their versions, approval events, runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23

Plain SQLAlchemy types only (a migration is a snapshot and must not import the live schema):
``LargeBinary`` holds zlib-compressed text, ``DateTime(timezone=True)`` UTC timestamps.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = sa.String(length=200)
USER = sa.String(length=100)
HASH = sa.String(length=64)
STATE = sa.String(length=16)
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", HASH, nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("province", NAME, nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=False),
        sa.Column("criteria_set", NAME, nullable=False),
        sa.Column("communes", sa.Integer(), nullable=False),
        sa.Column("investments", sa.Integer(), nullable=False),
        sa.Column("label", NAME, nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", USER, nullable=False),
        sa.Column("added_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datasets")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_datasets_content_hash")),
    )
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", NAME, nullable=False),
        sa.Column("created_by", USER, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sa.UniqueConstraint("name", name=op.f("uq_scenarios_name")),
    )
    op.create_table(
        "scenario_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", HASH, nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("saved_by", USER, nullable=False),
        sa.Column("saved_at", TIMESTAMP, nullable=False),
        sa.Column("state", STATE, nullable=False),
        sa.Column("state_by", USER, nullable=False),
        sa.Column("state_at", TIMESTAMP, nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'approved')",
            name=op.f("ck_scenario_versions_state_known"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_scenario_versions_version_positive")),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_versions_scenario_id_scenarios"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_versions")),
        sa.UniqueConstraint(
            "scenario_id", "version", name=op.f("uq_scenario_versions_scenario_id_version")
        ),
    )
    op.create_table(
        "approval_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_version_id", sa.Integer(), nullable=False),
        sa.Column("from_state", STATE, nullable=False),
        sa.Column("to_state", STATE, nullable=False),
        sa.Column("done_by", USER, nullable=False),
        sa.Column("done_at", TIMESTAMP, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_version_id"],
            ["scenario_versions.id"],
            name=op.f("fk_approval_events_scenario_version_id_scenario_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_events")),
    )
    op.create_index(
        op.f("ix_approval_events_scenario_version_id"), "approval_events", ["scenario_version_id"]
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_version_id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("method", NAME, nullable=False),
        sa.Column("solver", sa.String(length=32), nullable=True),
        sa.Column("solver_version", NAME, nullable=True),
        sa.Column("pulp_version", sa.String(length=32), nullable=True),
        sa.Column("status", STATE, nullable=False),
        sa.Column("gap", sa.Float(), nullable=True),
        sa.Column("prepare_seconds", sa.Float(), nullable=False),
        sa.Column("build_seconds", sa.Float(), nullable=False),
        sa.Column("solve_seconds", sa.Float(), nullable=False),
        sa.Column("total_seconds", sa.Float(), nullable=False),
        sa.Column("at_standard_before", sa.Integer(), nullable=True),
        sa.Column("at_standard_after", sa.Integer(), nullable=True),
        sa.Column("money_total", sa.Float(), nullable=True),
        sa.Column("items_funded", sa.Integer(), nullable=True),
        sa.Column("plan", sa.LargeBinary(), nullable=False),
        sa.Column("run_by", USER, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=False),
        sa.Column("rerun_of", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datasets.id"], name=op.f("fk_runs_dataset_id_datasets")
        ),
        sa.ForeignKeyConstraint(["rerun_of"], ["runs.id"], name=op.f("fk_runs_rerun_of_runs")),
        sa.ForeignKeyConstraint(
            ["scenario_version_id"],
            ["scenario_versions.id"],
            name=op.f("fk_runs_scenario_version_id_scenario_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_index(op.f("ix_runs_dataset_id"), "runs", ["dataset_id"])
    op.create_index(op.f("ix_runs_scenario_version_id"), "runs", ["scenario_version_id"])
    op.create_index(op.f("ix_runs_finished_at"), "runs", ["finished_at"])


def downgrade() -> None:
    op.drop_table("runs")
    op.drop_table("approval_events")
    op.drop_table("scenario_versions")
    op.drop_table("scenarios")
    op.drop_table("datasets")
