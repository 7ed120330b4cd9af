"""Users, roles and what each role may do; password hashing (argon2) and the password policy.

Roles (a user may hold several):

- ``viewer`` sees plans and history;
- ``planner`` imports data packages, saves scenarios, records runs;
- ``finance`` sets budgets (saves scenarios) and records runs;
- ``approver`` submits, approves and rejects scenario versions;
- ``admin`` manages users and roles and reads the audit trail.

A store with no user account is in *single-user mode* (as every store was before accounts
existed): everything is allowed and recorded under the name given. Once an account exists, every
change needs a signed-in :class:`Identity` whose roles allow it — checked by the store itself, so
every interface (command line, app, Python) obeys the same rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import Field

from models.base import FrozenModel
from store.errors import StoreError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
MAX_FAILED_SIGN_INS = 5
"""Failed sign-ins in a row that lock an account."""
LOCK_OUT = timedelta(minutes=15)
"""How long a locked account stays locked."""
MAX_NAME_LENGTH = 100
_HASHER = PasswordHasher()


class Role(StrEnum):
    VIEWER = "viewer"
    PLANNER = "planner"
    FINANCE = "finance"
    APPROVER = "approver"
    ADMIN = "admin"


class Action(StrEnum):
    """Everything the store lets someone do that a role may forbid."""

    VIEW = "view"
    IMPORT_DATA = "import data packages"
    SAVE_SCENARIO = "save scenarios"
    RECORD_RUN = "run and record plans"
    SUBMIT = "submit versions for approval"
    APPROVE = "approve versions"
    REJECT = "reject versions"
    MANAGE_USERS = "manage users and roles"
    READ_AUDIT = "read the audit trail"


PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.VIEW: frozenset(Role),
    Action.IMPORT_DATA: frozenset({Role.PLANNER}),
    Action.SAVE_SCENARIO: frozenset({Role.PLANNER, Role.FINANCE}),
    Action.RECORD_RUN: frozenset({Role.PLANNER, Role.FINANCE}),
    Action.SUBMIT: frozenset({Role.APPROVER}),
    Action.APPROVE: frozenset({Role.APPROVER}),
    Action.REJECT: frozenset({Role.APPROVER}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.READ_AUDIT: frozenset({Role.ADMIN}),
}
"""Which roles allow each action (the role matrix; tests check every cell)."""


class AccountError(StoreError):
    """A user cannot be created or changed as asked (bad name, weak password, unknown user)."""


class NotSignedIn(StoreError):
    """The store has user accounts and the action was asked without a signed-in user."""


class PermissionDenied(StoreError):
    """The signed-in user's roles do not allow the action."""


class SignInFailed(StoreError):
    """Wrong name or password, a disabled account, or a locked one (the message says which may
    be told: never whether the name exists)."""


class Identity(FrozenModel):
    """A signed-in user: what the store hands back from ``authenticate``; interfaces pass it on."""

    name: str
    roles: frozenset[Role]

    def may(self, action: Action) -> bool:
        return allowed(action, self.roles)


class UserRecord(FrozenModel):
    """A user account as listed (never the password hash)."""

    name: str
    roles: tuple[Role, ...]
    disabled: bool
    locked_until: datetime | None = Field(description="Set while locked after failed sign-ins.")
    created_by: str
    created_at: datetime
    password_changed_at: datetime


def allowed(action: Action, roles: frozenset[Role] | set[Role]) -> bool:
    return bool(PERMISSIONS[action] & set(roles))


def parse_roles(text: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in text.split())


def roles_text(roles: frozenset[Role] | set[Role]) -> str:
    return " ".join(sorted(r.value for r in roles))


def needed_roles(action: Action) -> str:
    return " or ".join(sorted(r.value for r in PERMISSIONS[action]))


def role_from_text(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise AccountError(f"unknown role {text[:40]!r}: expected one of {known}") from None


def check_user_name(name: str) -> str:
    """The name, stripped; refused when empty, too long, or with control characters."""
    cleaned = name.strip()
    if not cleaned:
        raise AccountError("a user name cannot be empty")
    if len(cleaned) > MAX_NAME_LENGTH:
        raise AccountError(f"a user name has at most {MAX_NAME_LENGTH} characters")
    if any(not c.isprintable() for c in cleaned):
        raise AccountError("a user name cannot contain control characters")
    return cleaned


def password_problems(name: str, password: str) -> list[str]:
    """Why ``password`` is not acceptable for user ``name`` (empty: it is). Never echoes it."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if name and name.casefold() in password.casefold():
        problems.append("a password cannot contain the user name")
    if password and len(set(password)) < 4:
        problems.append("a password needs at least 4 different characters")
    return problems


def check_password(name: str, password: str) -> None:
    problems = password_problems(name, password)
    if problems:
        raise AccountError("; ".join(problems))


def hash_password(password: str) -> str:
    """An argon2id hash (salted; the parameters are part of the text)."""
    return _HASHER.hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_hash() -> str:
    """Verified against when the name is unknown, so that a wrong name takes as long as a wrong
    password (nothing tells which names exist). Made on first use: hashing costs about 0.1 s,
    which every command that imports the store would otherwise pay."""
    return hash_password("not a password of anyone")
