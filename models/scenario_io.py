"""Scenario files (YAML): loading with inheritance (``extends``), saving, and located errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models.scenario import Scenario

EXTENDS_KEY = "extends"


class _ScenarioLoader(yaml.SafeLoader):
    """Safe YAML, except that a repeated key is an error (the last one would silently win) and
    digits with a leading zero stay text: YAML 1.1 reads ``03661`` as octal 1969, and commune
    codes have a leading zero."""

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

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: mappings merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_mapping(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    if path in chain:
        loop = " → ".join(p.name for p in (*chain, path))
        raise ScenarioFileError(path, [f"extends itself in a loop: {loop}"])
    if path.is_dir():
        raise ScenarioFileError(path, ["is a folder; give a scenario file (.yaml)"])
    if not path.is_file():
        raise ScenarioFileError(path, ["file not found"])
    try:
        content = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_ScenarioLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise ScenarioFileError(path, [f"{where}malformed YAML ({reason})"]) from None
    except UnicodeDecodeError:
        raise ScenarioFileError(path, ["is not UTF-8 text"]) from None
    if not isinstance(content, dict):
        raise ScenarioFileError(
            path, ["must be a mapping of scenario fields (name: …, horizon: …)"]
        )
    if "dataset" in content and isinstance(content["dataset"], str):
        content["dataset"] = str((path.parent / content["dataset"]).resolve())
    parent = content.pop(EXTENDS_KEY, None)
    if parent is None:
        return content
    if not isinstance(parent, str):
        raise ScenarioFileError(path, [f"extends: must be one scenario file name (got {parent!r})"])
    base = _read_mapping((path.parent / str(parent)).resolve(), (*chain, path))
    return deep_merge(base, content)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; the dataset path is resolved against the file's folder."""
    path = Path(path).resolve()
    content = _read_mapping(path, ())
    try:
        return Scenario.model_validate(content)
    except ValidationError as error:
        problems = [
            f"{'.'.join(str(p) for p in e['loc']) or 'scenario'}: "
            f"{str(e['msg']).removeprefix('Value error, ')}"
            + (f" (got {e['input']!r})" if e["type"] not in {"missing", "value_error"} else "")
            for e in error.errors()
        ]
        raise ScenarioFileError(path, problems) from None


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
