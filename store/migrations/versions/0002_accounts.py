"""Accounts, roles and an append-only, hash-chained audit trail; a content hash for every run.

Revision ID: 0002_accounts
Revises: 0001
Create Date: 2026-12-04

Keeps every existing record: the tables of 0001 are untouched but for a new ``runs.plan_hash``
column, filled here for every stored run. Every approval event already stored is copied into the
audit trail (oldest first, chained), so ``ntm audit --verify`` covers approvals made before accounts
existed. Append-only is enforced by the database itself: triggers refuse UPDATE and DELETE of audit
records and approval events, and of scenario versions once approved (PostgreSQL and SQLite).

Self-contained (a migration is a snapshot): the chain hash is written out here as in
``store.audit.chain_hash``, and a test checks the two agree.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002_accounts"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = sa.String(length=200)
USER = sa.String(length=100)
HASH = sa.String(length=64)
TIMESTAMP = sa.DateTime(timezone=True)
GENESIS = "0" * 64
ACTIONS = {
    ("draft", "submitted"): "version.submitted",
    ("submitted", "approved"): "version.approved",
    ("submitted", "draft"): "version.rejected",
}

PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION ntm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ntm-budget: % of % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE OR REPLACE FUNCTION ntm_refuse_approved_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'approved' THEN
        RAISE EXCEPTION 'ntm-budget: % of approved scenario version % is refused: it is frozen',
            TG_OP, OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;
"""
PG_TRIGGERS = (
    "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION ntm_refuse_change()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION ntm_refuse_change()",
    "CREATE TRIGGER approval_events_append_only BEFORE UPDATE OR DELETE ON approval_events "
    "FOR EACH ROW EXECUTE FUNCTION ntm_refuse_change()",
    "CREATE TRIGGER approval_events_no_truncate BEFORE TRUNCATE ON approval_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION ntm_refuse_change()",
    "CREATE TRIGGER scenario_versions_approved_frozen BEFORE UPDATE OR DELETE ON "
    "scenario_versions FOR EACH ROW EXECUTE FUNCTION ntm_refuse_approved_change()",
)
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
    f"BEGIN SELECT RAISE(ABORT, 'ntm-budget: {verb} of {table} is refused: the table is "
    "append-only'); END"
    for table in ("audit_events", "approval_events")
    for verb in ("UPDATE", "DELETE")
) + tuple(
    f"CREATE TRIGGER scenario_versions_approved_no_{verb.lower()} BEFORE {verb} ON "
    f"scenario_versions WHEN OLD.state = 'approved' BEGIN SELECT RAISE(ABORT, 'ntm-budget: "
    f"{verb} of an approved scenario version is refused: it is frozen'); END"
    for verb in ("UPDATE", "DELETE")
)
TRIGGER_NAMES = (
    ("audit_events", "audit_events_append_only"),
    ("audit_events", "audit_events_no_truncate"),
    ("approval_events", "approval_events_append_only"),
    ("approval_events", "approval_events_no_truncate"),
    ("scenario_versions", "scenario_versions_approved_frozen"),
)


def _canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def chain_hash(
    previous: str, at: datetime, actor: str, action: str, target: str, detail: str
) -> str:
    """As ``store.audit.chain_hash``: the record's fields and the previous record's hash."""
    stamp = _utc(at).isoformat(timespec="microseconds")
    return _sha256(_canonical([previous, stamp, actor, action, target, detail]))


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", USER, nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", TIMESTAMP, nullable=True),
        sa.Column("created_by", USER, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("password_changed_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    audit = op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", USER, nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", NAME, nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("previous_hash", HASH, nullable=False),
        sa.Column("hash", HASH, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    op.create_index(op.f("ix_audit_events_at"), "audit_events", ["at"])
    op.create_index(op.f("ix_audit_events_action"), "audit_events", ["action"])
    with op.batch_alter_table("runs") as runs:
        runs.add_column(sa.Column("plan_hash", HASH, nullable=True))

    connection = op.get_bind()
    for run_id, plan in connection.execute(sa.text("SELECT id, plan FROM runs")).all():
        digest = _sha256(zlib.decompress(plan).decode("utf-8"))
        connection.execute(
            sa.text("UPDATE runs SET plan_hash = :h WHERE id = :i"), {"h": digest, "i": run_id}
        )
    _copy_approval_events(connection, audit)

    if connection.dialect.name == "postgresql":
        op.execute(PG_FUNCTIONS)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    elif connection.dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def _copy_approval_events(connection: sa.Connection, audit: sa.Table) -> None:
    """Every stored approval event becomes an audit record, oldest first, chained."""
    events = connection.execute(
        sa.text(
            "SELECT e.from_state, e.to_state, e.done_by, e.done_at, e.note, v.version, "
            "v.content_hash, s.name FROM approval_events e "
            "JOIN scenario_versions v ON v.id = e.scenario_version_id "
            "JOIN scenarios s ON s.id = v.scenario_id ORDER BY e.done_at, e.id"
        )
    ).all()
    previous = GENESIS
    for from_state, to_state, who, at, note, version, content_hash, name in events:
        at = _utc(at if isinstance(at, datetime) else datetime.fromisoformat(at))
        action = ACTIONS.get((from_state, to_state), "version.state_changed")
        target = f"{name} v{version}"[:200]
        detail = _canonical(
            {
                "scenario": name,
                "version": version,
                "from": from_state,
                "to": to_state,
                "note": note,
                "content_hash": content_hash,
                "copied_from_approval_events": True,
            }
        )
        digest = chain_hash(previous, at, who, action, target, detail)
        stored_at = at.replace(tzinfo=None) if connection.dialect.name == "sqlite" else at
        connection.execute(
            audit.insert().values(
                at=stored_at,
                actor=who,
                action=action,
                target=target,
                detail=detail,
                previous_hash=previous,
                hash=digest,
            )
        )
        previous = digest


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table, trigger in TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS ntm_refuse_change()")
        op.execute("DROP FUNCTION IF EXISTS ntm_refuse_approved_change()")
    elif connection.dialect.name == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    with op.batch_alter_table("runs") as runs:
        runs.drop_column("plan_hash")
    op.drop_index(op.f("ix_audit_events_action"), table_name="audit_events")
    op.drop_index(op.f("ix_audit_events_at"), table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_table("users")
