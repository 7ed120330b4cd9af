"""Signing in for a command that changes the history store: the name from ``--user`` or
``$NTM_USER`` (else asked), the password from ``$NTM_PASSWORD`` (for scripts) or asked without
echo (getpass). A store without accounts works as before (single-user mode)."""

from __future__ import annotations

import getpass
import os
import sys

from cli.output import EXIT_INVALID_INPUT, CliError, Console
from store import Store
from store.accounts import Identity, SignInFailed
from store.config import USER_VARIABLE

PASSWORD_VARIABLE = "NTM_PASSWORD"
"""The signing-in user's password, for scripts (never a command-line argument: ps would show it)."""


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise CliError(
            f"this history store has user accounts: sign in with --user NAME (or ${USER_VARIABLE}) "
            f"and ${PASSWORD_VARIABLE}, or run the command in a terminal to be asked",
            EXIT_INVALID_INPUT,
        )
    print(prompt, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def _password(prompt: str, variable: str) -> str:
    value = os.environ.get(variable)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(
            f"no password: set ${variable} or run the command in a terminal to be asked",
            EXIT_INVALID_INPUT,
        )
    return getpass.getpass(prompt)


def sign_in(history: Store, name: str | None, console: Console) -> Identity:
    """Authenticate against the store (name from --user, $NTM_USER or a prompt)."""
    who = name or os.environ.get(USER_VARIABLE) or _ask("ntm: user name: ")
    password = _password(f"ntm: password for {who}: ", PASSWORD_VARIABLE)
    try:
        identity = history.authenticate(who, password)
    except SignInFailed as error:
        raise CliError(f"sign-in refused: {error}", EXIT_INVALID_INPUT) from None
    console.progress(f"signed in as {identity.name} ({', '.join(sorted(identity.roles))})")
    return identity


def acting_user(history: Store, name: str | None, console: Console) -> Identity | str | None:
    """Who a command acts as: a signed-in Identity when the store has accounts; else (single-user
    mode) the name given, as before accounts existed."""
    if history.has_users():
        return sign_in(history, name, console)
    return name
