"""Every text of the app, the command line and the reports: one catalogue per language.

``vi.yaml`` and ``en.yaml`` beside this module map the same keys to texts with the same
``{fields}`` (tests/test_messages.py holds them so). The app's ``t()`` and the reports' ``label()``
read them by key; problems (``models.problems``, ``models.io.errors``, ``models.scenario_check``),
package warnings and plan notes are data instead of sentences: a ``Message``, a key and its
values, rendered in the reader's language. A value that is itself a ``Message`` (an objective, a
policy, the kind of thing a reference names) is rendered in the same language; a tuple of values
is joined with ", ". ``str(message)`` is the English text.

A new text: add its key to both files (keys sorted; the same fields in both).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any, Union

import yaml
from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (its wheels are): the catalogues load
in a tenth of the pure-Python loader's time, and every command and page reads them."""

LANGUAGES = ("vi", "en")
"""The catalogues shipped, the default (the app's language) first."""
DEFAULT_LANGUAGE = "vi"
ENGLISH = "en"

if TYPE_CHECKING:  # mypy cannot follow the recursive alias that pydantic validates with
    Param = Any
else:
    Param = TypeAliasType(
        "Param", Union["Message", str, int, float, bool, tuple["Param", ...], None]
    )
"""A message's value: text, a number, a message rendered in the same language, or several."""


class Message(BaseModel):
    """A code of the catalogue and the values its text names (``{value}``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    params: dict[str, Param] = {}

    # A message holds only immutable values (see msg), so it can be hashed by its text.

    def __hash__(self) -> int:
        return hash((self.code, repr(sorted(self.params.items()))))

    def __str__(self) -> str:
        return render(self, ENGLISH)

    def text(self, lang: str) -> str:
        """This message in ``lang``."""
        return render(self, lang)


def msg(code: str, /, **params: Any) -> Message:
    """``Message(code, params)``; lists become tuples (a message is immutable)."""
    return Message(code=code, params={k: _frozen(v) for k, v in params.items()})


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """Every text of ``lang`` by key, read once from the package's ``<lang>.yaml``."""
    if lang not in LANGUAGES:
        raise KeyError(f"no catalogue for language {lang!r} (known: {', '.join(LANGUAGES)})")
    source = files(__package__).joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    texts = yaml.load(source, Loader=_LOADER) or {}
    return {str(key): str(value) for key, value in texts.items()}


@cache
def entries() -> Mapping[str, Mapping[str, str]]:
    """Every key with its text in each language: ``{"kpi.communes": {"vi": …, "en": …}}``."""
    return {key: {lang: catalogue(lang)[key] for lang in LANGUAGES} for key in catalogue(ENGLISH)}


def has_text(key: str) -> bool:
    """Whether ``key`` is in the catalogues."""
    return key in catalogue(ENGLISH)


def text(key: str, lang: str = ENGLISH, /, **values: Any) -> str:
    """The catalogue's text for ``key`` in ``lang`` with its ``{values}`` filled."""
    template = catalogue(lang)[key]
    return template.format(**values) if values else template


def render(message: Message | str, lang: str = ENGLISH) -> str:
    """``message`` in ``lang``; a plain string (a note of a record older than the catalogue, a
    library's own error text) is shown as written."""
    if isinstance(message, str):
        return message
    values = {key: _rendered(value, lang) for key, value in message.params.items()}
    if not has_text(message.code):  # a code a newer or older version wrote: shown, not lost
        return message.code + "".join(f" {k}={v}" for k, v in values.items())
    return catalogue(lang)[message.code].format_map(_Unknown(values))


class _Unknown(dict[str, Any]):
    """Values for a text; one the message does not give shows as "…" (an objective named
    without the criteria floor the app chose)."""

    def __missing__(self, key: str) -> str:
        return "…"


def _rendered(value: Any, lang: str) -> Any:
    if isinstance(value, Message):
        return render(value, lang)
    if isinstance(value, tuple):
        return ", ".join(str(_rendered(v, lang)) for v in value)
    return value


def invalid(code: str, /, **params: Any) -> PydanticCustomError:
    """A validation error carrying a message code: raise it in a pydantic validator, and
    ``message_of`` turns the error back into the message (the English text is pydantic's)."""
    return PydanticCustomError(code, render(msg(code, **params), ENGLISH), params)


def message_of(error: Mapping[str, Any]) -> Message | None:
    """The message of a pydantic error raised with ``invalid``; None for pydantic's own errors."""
    if not has_text(str(error["type"])):
        return None
    return msg(str(error["type"]), **dict(error.get("ctx") or {}))
