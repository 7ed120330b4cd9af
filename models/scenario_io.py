"""Scenario files (YAML): loading with inheritance (``extends``), saving, and located errors."""

from __future__ import annotations

import os
import reprlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models.messages import message_of, msg
from models.scenario import Scenario
from models.scenario_check import ScenarioProblem

EXTENDS_KEY = "extends"
MAX_ALIASES = 16
"""YAML aliases (``*name``) a scenario file may use: enough for shared blocks, far too few for a
"billion laughs" expansion."""
ECHO_LIMIT = 120
"""Characters of a rejected value repeated in an error message."""


def bounded_repr(value: Any, limit: int = ECHO_LIMIT) -> str:
    """``repr(value)``, cut to ``limit`` characters: errors never echo unbounded input."""
    shortener = reprlib.Repr()  # keyword arguments only from Python 3.12
    shortener.maxstring = shortener.maxother = limit
    shortener.maxlist = shortener.maxdict = 8
    shortener.maxlevel = 3
    text = shortener.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _ScenarioLoader(yaml.SafeLoader):
    """Safe YAML, except that a repeated key is an error (the last one would silently win),
    digits with a leading zero stay text (YAML 1.1 reads ``03661`` as octal 1969, and commune
    codes have a leading zero), and at most ``MAX_ALIASES`` aliases are followed."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"more than {MAX_ALIASES} aliases (*name); a scenario needs far fewer",
                    event.start_mark,
                )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:
        text = str(self.construct_scalar(node))
        if len(text) > 1 and text.startswith("0") and text.isdigit():
            return text
        return super().construct_yaml_int(node)


_ScenarioLoader.add_constructor("tag:yaml.org,2002:int", _ScenarioLoader.construct_yaml_int)


class ScenarioFileError(Exception):
    """A scenario file cannot be used; the message names the file and every field at fault."""

    def __init__(self, path: Path | str, problems: list[ScenarioProblem]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(str(p) for p in problems))


def _whole_file(code: str, **params: Any) -> list[ScenarioProblem]:
    """A problem of the whole scenario file (no field path)."""
    return [ScenarioProblem("", msg(code, **params))]


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: mappings merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _inside(path: Path, roots: Sequence[Path] | None) -> bool:
    return roots is None or any(path.is_relative_to(root.resolve()) for root in roots)


def _read_mapping(
    path: Path, chain: tuple[Path, ...], roots: Sequence[Path] | None = None
) -> dict[str, Any]:
    if path in chain:
        loop = " → ".join(p.name for p in (*chain, path))
        raise ScenarioFileError(path, _whole_file("scenario_file.loop", loop=loop))
    if path.is_dir():
        raise ScenarioFileError(path, _whole_file("scenario_file.folder"))
    if not path.is_file():
        raise ScenarioFileError(path, _whole_file("file.not_found"))
    try:
        content = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_ScenarioLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = str(getattr(error, "problem", None) or error)[:ECHO_LIMIT]
        malformed = (
            _whole_file(
                "yaml.malformed_at", line=mark.line + 1, column=mark.column + 1, reason=reason
            )
            if mark
            else _whole_file("yaml.malformed", reason=reason)
        )
        raise ScenarioFileError(path, malformed) from None
    except UnicodeDecodeError:
        raise ScenarioFileError(path, _whole_file("file.not_utf8")) from None
    if not isinstance(content, dict):
        raise ScenarioFileError(path, _whole_file("scenario_file.not_mapping"))
    if "dataset" in content and isinstance(content["dataset"], str):
        content["dataset"] = str((path.parent / content["dataset"]).resolve())
        if not _inside(Path(content["dataset"]), roots):
            del content["dataset"]  # never read from outside; the app uses the package it has open
    parent = content.pop(EXTENDS_KEY, None)
    if parent is None:
        return content
    if not isinstance(parent, str):
        raise ScenarioFileError(
            path, _whole_file("scenario_file.extends_not_name", got=bounded_repr(parent))
        )
    target = (path.parent / str(parent)).resolve()
    if not _inside(target, roots) or target.suffix.lower() not in {".yaml", ".yml"}:
        raise ScenarioFileError(path, _whole_file("scenario_file.extends_outside"))
    base = _read_mapping(target, (*chain, path), roots)
    return deep_merge(base, content)


def load_scenario(path: str | Path, *, allowed_roots: Sequence[Path] | None = None) -> Scenario:
    """Read and validate a scenario file; the dataset path is resolved against the file's folder.

    ``allowed_roots`` (for files from untrusted users, e.g. an upload): ``extends:`` must stay
    inside these folders (else the file is refused) and a ``dataset:`` outside them is dropped, so
    a file cannot make the server read others.
    """
    path = Path(path).resolve()
    content = _read_mapping(path, (), allowed_roots)
    try:
        return Scenario.model_validate(content)
    except ValidationError as error:
        problems = [
            ScenarioProblem(".".join(str(p) for p in e["loc"]) or "scenario", _field_message(e))
            for e in error.errors()
        ]
        raise ScenarioFileError(path, problems) from None


def _field_message(error: Any) -> Any:
    """A field's validation error: a rule of ours by its code, one of pydantic's own in
    pydantic's words (with the value given, unless the field is missing)."""
    ours = message_of(error)
    if ours is not None:
        return ours
    why = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return msg("value.required")
    if error["type"] == "value_error":
        return msg("text.as_written", text=why)
    return msg("value.invalid_got", why=why, got=bounded_repr(error["input"]))


def save_scenario(scenario: Scenario, path: str | Path) -> Path:
    """Write a scenario as YAML (the dataset path relative to the file where possible)."""
    path = Path(path)
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    if scenario.dataset:
        data["dataset"] = os.path.relpath(Path(scenario.dataset).resolve(), path.parent.resolve())
    data = {"name": scenario.name, "horizon": scenario.horizon.model_dump(), **data}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path
