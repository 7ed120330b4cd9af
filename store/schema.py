"""The tables of the history store (SQLAlchemy 2 typed ORM).

The schema is created and changed only by the Alembic migrations in ``store/migrations``; these
classes describe it for queries, and a test checks that the migrated database matches them.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Deterministic constraint names, so migrations can refer to them on every backend."""

NAME_LENGTH = 200
USER_LENGTH = 100
HASH_LENGTH = 64
COMPRESSION_LEVEL = 6


class ApprovalState(StrEnum):
    """Where a scenario version is in the approval workflow."""

    DRAFT = "draft"
    """Saved, may be run and compared; not yet put forward."""
    SUBMITTED = "submitted"
    """Put forward for approval; an approver accepts it or returns it to draft."""
    APPROVED = "approved"
    """Approved: frozen for good (saving changes creates a new version)."""


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps naive text, Postgres timestamptz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CompressedText(TypeDecorator[str]):
    """Large text (dataset content, plan JSON) stored zlib-compressed: about 7× smaller."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return zlib.compress(value.encode("utf-8"), COMPRESSION_LEVEL)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return zlib.decompress(value).decode("utf-8")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class DatasetRow(Base):
    """A data package, stored once per distinct content (identified by its SHA-256)."""

    __tablename__ = "datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    province: Mapped[str] = mapped_column(String(NAME_LENGTH))
    base_year: Mapped[int] = mapped_column(Integer)
    criteria_set: Mapped[str] = mapped_column(String(NAME_LENGTH))
    communes: Mapped[int] = mapped_column(Integer)
    investments: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    content: Mapped[str] = mapped_column(CompressedText)
    added_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScenarioRow(Base):
    """A scenario, by name; its content lives in its versions."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    created_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScenarioVersionRow(Base):
    """One saved version of a scenario: immutable content plus its approval state."""

    __tablename__ = "scenario_versions"
    __table_args__ = (
        UniqueConstraint("scenario_id", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("state IN ('draft', 'submitted', 'approved')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    based_on: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16))
    state_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    state_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApprovalEventRow(Base):
    """One approval transition of a scenario version (the audit trail)."""

    __tablename__ = "approval_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    done_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    done_at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(Text)


class RunRow(Base):
    """One solve (or baseline) of a scenario version on a dataset, with the full Plan."""

    __tablename__ = "runs"
    __table_args__ = (Index(None, "finished_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), index=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    method: Mapped[str] = mapped_column(String(NAME_LENGTH))
    solver: Mapped[str | None] = mapped_column(String(32))
    solver_version: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    pulp_version: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    gap: Mapped[float | None] = mapped_column(Float)
    prepare_seconds: Mapped[float] = mapped_column(Float)
    build_seconds: Mapped[float] = mapped_column(Float)
    solve_seconds: Mapped[float] = mapped_column(Float)
    total_seconds: Mapped[float] = mapped_column(Float)
    at_standard_before: Mapped[int | None] = mapped_column(Integer)
    at_standard_after: Mapped[int | None] = mapped_column(Integer)
    money_total: Mapped[float | None] = mapped_column(Float)
    items_funded: Mapped[int | None] = mapped_column(Integer)
    plan: Mapped[str] = mapped_column(CompressedText)
    run_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime)
    rerun_of: Mapped[int | None] = mapped_column(ForeignKey("runs.id"))
    note: Mapped[str] = mapped_column(Text)
    plan_hash: Mapped[str | None] = mapped_column(String(HASH_LENGTH))
    """SHA-256 of the plan JSON, checked on every read (filled for older runs by migration 0002)."""


# -- accounts and audit (migration 0002_accounts) -------------------------------------------------
ROLES_LENGTH = 200
ACTION_LENGTH = 40
PASSWORD_HASH_LENGTH = 255


class UserRow(Base):
    """A person who signs in: argon2 password hash, roles, lock-out counters."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(USER_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(PASSWORD_HASH_LENGTH))
    roles: Mapped[str] = mapped_column(String(ROLES_LENGTH))
    """Space-separated role names, sorted (``store.accounts.Role``)."""
    disabled: Mapped[bool] = mapped_column(Boolean)
    failed_sign_ins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(USER_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditRow(Base):
    """One append-only audit record; each carries the hash of the one before (a chain)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index(None, "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(USER_LENGTH))
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH), index=True)
    target: Mapped[str] = mapped_column(String(NAME_LENGTH))
    detail: Mapped[str] = mapped_column(Text)
    """Canonical JSON of what happened (never a password)."""
    previous_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
