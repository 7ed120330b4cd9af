"""``ntm user`` (accounts and roles, admins only) and ``ntm audit`` (the audit trail), and signing
in for every command that changes the history store.

Once the store has a user account, a command that records or changes anything signs in first:
the name from ``--user`` or ``$NTM_USER`` (else asked), the password from ``$NTM_PASSWORD`` (for
scripts) or asked without echo (getpass). A store without accounts works as before (single-user
mode); ``ntm user add NAME --role admin`` on it creates the first admin without signing in.
Passwords are never printed, logged or passed on the command line.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, date, datetime, time, timedelta

from cli.history import open_history
from cli.output import (
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    Console,
    text_table,
)
from cli.sign_in import PASSWORD_VARIABLE, sign_in
from store import Store
from store.accounts import Identity, Role, role_from_text
from store.config import USER_VARIABLE, display_url

NEW_PASSWORD_VARIABLE = "NTM_NEW_PASSWORD"
"""The password of a user being added or reset, for scripts."""
AUDIT_LIMIT = 50
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DETAIL_SHOWN = 120
"""Characters of a record's details printed per line."""


# -- ntm user ------------------------------------------------------------------------------------
def _new_password(args: argparse.Namespace) -> str:
    if getattr(args, "password_stdin", False):
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise CliError("--password-stdin: the first line of standard input is empty")
        return line
    value = os.environ.get(NEW_PASSWORD_VARIABLE)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(
            f"no new password: give it with --password-stdin or ${NEW_PASSWORD_VARIABLE}, or "
            "run the command in a terminal to be asked",
            EXIT_INVALID_INPUT,
        )
    first = getpass.getpass(f"ntm: new password for {args.name}: ")
    if getpass.getpass("ntm: the same password again: ") != first:
        raise CliError("the two passwords differ; nothing was changed")
    return first


def _admin(history: Store, args: argparse.Namespace, console: Console) -> Identity:
    if not history.has_users():
        raise CliError(
            "this history store has no user yet: create the first admin with "
            "ntm user add NAME --role admin"
        )
    return sign_in(history, args.as_user, console)


def cmd_user_add(args: argparse.Namespace, console: Console) -> int:
    roles = {role_from_text(r) for r in args.role}
    with open_history(args.database, console) as history:
        first = not history.has_users()
        by = None if first else _admin(history, args, console)
        password = _new_password(args)
        record = history.add_user(args.name, password, roles, by=by)
        where = display_url(history.url)
    kind = "first admin" if first else "user"
    console.out(f"{kind} {record.name} added ({', '.join(record.roles)}) to {where}")
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace, console: Console) -> int:
    with open_history(args.database, console) as history:
        if not history.has_users():
            console.out(
                "no user yet (single-user mode); create the first admin with "
                "ntm user add NAME --role admin"
            )
            return EXIT_OK
        users = history.list_users(by=_admin(history, args, console))
    rows = [
        [
            u.name,
            " ".join(u.roles),
            "disabled" if u.disabled else "active",
            u.locked_until.strftime(TIME_FORMAT) if u.locked_until else "–",
            u.created_by,
            u.created_at.strftime(TIME_FORMAT),
        ]
        for u in users
    ]
    header = ["user", "roles", "state", "locked until", "created by", "created (UTC)"]
    console.out(text_table(header, rows, align="llllll"))
    return EXIT_OK


def cmd_user_change(args: argparse.Namespace, console: Console) -> int:
    """disable, enable, grant, revoke, reset-password."""
    with open_history(args.database, console) as history:
        admin = _admin(history, args, console)
        if args.user_action in ("disable", "enable"):
            record = history.set_disabled(args.name, args.user_action == "disable", by=admin)
            said = f"{record.name} is {'disabled' if record.disabled else 'enabled'}"
        elif args.user_action in ("grant", "revoke"):
            role = role_from_text(args.role)
            change = history.grant if args.user_action == "grant" else history.revoke
            record = change(args.name, role, by=admin)
            said = f"{record.name} now has the roles: {', '.join(record.roles)}"
        else:
            record = history.reset_password(args.name, _new_password(args), by=admin)
            said = f"{record.name}: new password set (and any lock-out lifted)"
    console.out(said)
    return EXIT_OK


# -- ntm audit -----------------------------------------------------------------------------------
def _moment(text: str, *, end: bool = False) -> datetime:
    """A date (YYYY-MM-DD, its start or end) or an ISO time; UTC unless the text says otherwise."""
    try:
        if len(text) == len("YYYY-MM-DD"):
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.max if end else time.min)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"{text[:40]!r} is not a date (YYYY-MM-DD) or time", EXIT_USAGE) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def cmd_audit(args: argparse.Namespace, console: Console) -> int:
    if args.limit < 1:
        raise CliError("--limit must be at least 1", EXIT_USAGE)
    with open_history(args.database, console) as history:
        by = _admin(history, args, console) if history.has_users() else None
        if args.verify:
            breaks = history.verify_audit(by=by)
            if not breaks:
                console.out(
                    "the audit trail is intact: every record follows the one before and "
                    "every approved version is the content that was approved"
                )
                return EXIT_OK
            for found in breaks:
                console.out(found.message)
            raise CliError(f"the audit trail shows {len(breaks)} change(s) made outside ntm-budget")
        since = _moment(args.since) if args.since else None
        if args.days is not None:
            since = datetime.now(UTC) - timedelta(days=args.days)
        records = history.audit_trail(
            by=by,
            actor=args.by,
            action=args.action,
            target=args.target,
            since=since,
            until=_moment(args.until, end=True) if args.until else None,
            limit=args.limit,
        )
    if not records:
        console.out("no audit record matches")
        return EXIT_OK
    rows = []
    for r in reversed(records):  # oldest first, as a log reads
        detail = ", ".join(f"{k}={v}" for k, v in sorted(r.detail.items()) if v not in ("", None))
        if len(detail) > DETAIL_SHOWN:
            detail = detail[: DETAIL_SHOWN - 1] + "…"
        rows.append([str(r.id), r.at.strftime(TIME_FORMAT), r.actor, r.action, r.target, detail])
    console.out(
        text_table(["id", "when (UTC)", "who", "what", "on", "details"], rows, align="rlllll")
    )
    return EXIT_OK


# -- parser --------------------------------------------------------------------------------------
def _add_as(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="ADMIN",
        help=f"sign in as this admin (default: ${USER_VARIABLE}, else asked); password from "
        f"${PASSWORD_VARIABLE} or asked",
    )


def add_user_commands(
    commands: argparse._SubParsersAction,  # type: ignore[type-arg]
    general: argparse.ArgumentParser,
) -> None:
    """``ntm user …`` and ``ntm audit``."""
    roles = ", ".join(r.value for r in Role)
    user = commands.add_parser(
        "user",
        parents=[general],
        help="user accounts and roles of the history store (admins)",
        description=f"User accounts of the history store. Roles: {roles}. The first user of a "
        "store must be an admin and is added without signing in; every other change signs in "
        "as an admin.",
    )
    actions = user.add_subparsers(dest="user_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[general], help="add a user with one or more roles")
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--role", action="append", required=True, metavar="ROLE", help=f"repeatable: {roles}"
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"read the new password from the first line of standard input (else "
        f"${NEW_PASSWORD_VARIABLE}, else asked twice)",
    )
    _add_as(add)
    add.set_defaults(handler=cmd_user_add)
    listing = actions.add_parser("list", parents=[general], help="every user, roles and state")
    _add_as(listing)
    listing.set_defaults(handler=cmd_user_list)
    for action, text in (
        ("disable", "stop a user signing in (their history stays)"),
        ("enable", "let a disabled user sign in again"),
    ):
        sub = actions.add_parser(action, parents=[general], help=text)
        sub.add_argument("name", metavar="NAME")
        _add_as(sub)
        sub.set_defaults(handler=cmd_user_change)
    for action, text in (("grant", "give a user a role"), ("revoke", "take a role away")):
        sub = actions.add_parser(action, parents=[general], help=text)
        sub.add_argument("name", metavar="NAME")
        sub.add_argument("role", metavar="ROLE", help=roles)
        _add_as(sub)
        sub.set_defaults(handler=cmd_user_change)
    reset = actions.add_parser(
        "reset-password", parents=[general], help="set a new password (lifts a lock-out)"
    )
    reset.add_argument("name", metavar="NAME")
    reset.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    _add_as(reset)
    reset.set_defaults(handler=cmd_user_change)

    audit = commands.add_parser(
        "audit",
        parents=[general],
        help="the audit trail: who did what and when (admins); --verify checks it",
        description="List the audit trail, oldest first: sign-ins and failed sign-ins, user and "
        "role changes, data packages imported, scenario versions saved, submitted, approved and "
        "rejected, runs recorded, refused attempts. With --verify, check that no record and no "
        "approved version was changed outside ntm-budget (exit 1 and where, if one was).",
    )
    audit.add_argument("--by", metavar="NAME", help="only what this user did")
    audit.add_argument(
        "--action", metavar="PREFIX", help="only these actions, e.g. version. or sign_in"
    )
    audit.add_argument("--target", metavar="TEXT", help="only records about this (a substring)")
    audit.add_argument("--since", metavar="DATE", help="from this day (YYYY-MM-DD, UTC) or time")
    audit.add_argument("--until", metavar="DATE", help="up to this day (YYYY-MM-DD) or time")
    audit.add_argument("--days", type=float, metavar="N", help="only the last N days")
    audit.add_argument(
        "--limit", type=int, default=AUDIT_LIMIT, help=f"at most N records (default {AUDIT_LIMIT})"
    )
    audit.add_argument("--verify", action="store_true", help="check the chain and approvals")
    _add_as(audit)
    audit.set_defaults(handler=cmd_audit)
