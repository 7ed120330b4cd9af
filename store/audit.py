"""The audit trail: one append-only record per state change, each chained to the one before.

A record says who, when, what (an :class:`AuditAction`), on what (a short target such as
``"budget-2026 v3"``) and details as canonical JSON — never a password. Its ``hash`` is the SHA-256
of its fields and the previous record's hash, so changing, inserting or deleting any record breaks
the chain from there on; :func:`verify` says where. Appends are serialised (a PostgreSQL advisory
lock; SQLite's write lock) so the chain never forks.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from models.base import FrozenModel
from store.content import canonical_json, sha256
from store.schema import NAME_LENGTH, USER_LENGTH, AuditRow, ScenarioRow, ScenarioVersionRow

GENESIS = "0" * 64
"""The "previous hash" of the first record."""
AUDIT_LOCK_KEY = 0x6E746D_6175  # "ntm au"
TEXT_LIMIT = 500
"""Longest free text (a note, a refused reason) kept in a record's details."""


class AuditAction(StrEnum):
    SIGNED_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in.failed"
    SIGNED_OUT = "sign_out"
    USER_ADDED = "user.added"
    USER_DISABLED = "user.disabled"
    USER_ENABLED = "user.enabled"
    ROLE_GRANTED = "user.role_granted"
    ROLE_REVOKED = "user.role_revoked"
    PASSWORD_RESET = "user.password_reset"
    PACKAGE_IMPORTED = "package.imported"
    VERSION_SAVED = "version.saved"
    VERSION_SUBMITTED = "version.submitted"
    VERSION_APPROVED = "version.approved"
    VERSION_REJECTED = "version.rejected"
    STEP_REFUSED = "version.step_refused"
    RUN_RECORDED = "run.recorded"
    REFUSED = "refused"


class AuditRecord(FrozenModel):
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    hash: str


class ChainBreak(FrozenModel):
    """Where the audit trail or an approved version no longer matches what was recorded."""

    record_id: int | None
    message: str


def chain_hash(
    previous: str, at: datetime, actor: str, action: str, target: str, detail: str
) -> str:
    """SHA-256 of the record's fields and the previous record's hash (copied in migration 0002)."""
    stamp = at.astimezone(UTC).isoformat(timespec="microseconds")
    return sha256(canonical_json([previous, stamp, actor, action, target, detail]))


def bounded(value: str, limit: int = TEXT_LIMIT) -> str:
    """Free text cut to ``limit`` characters (with an ellipsis), so no input floods a record."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def append(
    s: Session,
    actor: str,
    event: AuditAction,
    target: str = "",
    /,
    **detail: Any,
) -> AuditRow:
    """Append one record inside the caller's transaction (it commits or rolls back with it)."""
    if s.get_bind().dialect.name == "postgresql":
        s.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})
    last = s.scalars(select(AuditRow.hash).order_by(AuditRow.id.desc()).limit(1)).first()
    previous = last or GENESIS
    # microseconds survive every backend; a later record never sorts before an earlier one
    at = datetime.now(UTC)
    details = canonical_json(detail)
    who = bounded(actor, USER_LENGTH)
    what = bounded(target, NAME_LENGTH)
    row = AuditRow(
        at=at,
        actor=who,
        action=event.value,
        target=what,
        detail=details,
        previous_hash=previous,
        hash=chain_hash(previous, at, who, event.value, what, details),
    )
    s.add(row)
    s.flush()
    return row


def record(row: AuditRow) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        target=row.target,
        detail=json.loads(row.detail),
        hash=row.hash,
    )


def verify(s: Session) -> list[ChainBreak]:
    """Every break of the chain, and every approved version whose content or approval does not
    match what its approval record says (empty: all is as recorded)."""
    breaks: list[ChainBreak] = []
    previous = GENESIS
    approved: dict[tuple[str, int], str] = {}
    for row in s.scalars(select(AuditRow).order_by(AuditRow.id)):
        if row.previous_hash != previous:
            breaks.append(
                ChainBreak(
                    record_id=row.id,
                    message=f"audit record {row.id} ({row.action}, {row.target}) does not follow "
                    "the record before it: a record was removed or inserted here",
                )
            )
        expected = chain_hash(
            row.previous_hash, row.at, row.actor, row.action, row.target, row.detail
        )
        if expected != row.hash:
            breaks.append(
                ChainBreak(
                    record_id=row.id,
                    message=f"audit record {row.id} ({row.action}, {row.target}) was changed "
                    "after it was written: its hash does not match its content",
                )
            )
        previous = row.hash
        if row.action == AuditAction.VERSION_APPROVED.value:
            detail = json.loads(row.detail)
            approved[(detail["scenario"], int(detail["version"]))] = detail["content_hash"]
    query = select(ScenarioVersionRow, ScenarioRow.name).join(
        ScenarioRow, ScenarioRow.id == ScenarioVersionRow.scenario_id
    )
    for version, name in s.execute(query.order_by(ScenarioVersionRow.id)):
        label = f"scenario {name!r} version {version.version}"
        if content_hash(version.content) != version.content_hash:
            breaks.append(
                ChainBreak(
                    record_id=None,
                    message=f"{label}: its content was changed after it was saved",
                )
            )
        if version.state == "approved":
            recorded = approved.get((name, version.version))
            if recorded is None:
                breaks.append(
                    ChainBreak(
                        record_id=None,
                        message=f"{label} is marked approved but the audit trail has no approval",
                    )
                )
            elif recorded != version.content_hash:
                breaks.append(
                    ChainBreak(
                        record_id=None,
                        message=f"{label}: its content is not the content that was approved",
                    )
                )
    return breaks


def content_hash(scenario_json: str) -> str:
    """The hash a scenario version's stored JSON must have (``store.content.scenario_hash``)."""
    return sha256(canonical_json(json.loads(scenario_json)))
