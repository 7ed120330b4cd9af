"""docs/model.md states the programme: every constraint family and every objective is described."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from models.scenario import Objective
from optimizer import formulation

MODEL_DOC = Path(__file__).resolve().parents[1] / "docs" / "model.md"


def define_functions() -> list[str]:
    return [
        name
        for name, member in inspect.getmembers(formulation, inspect.isfunction)
        if name.startswith("define_") and member.__module__ == formulation.__name__
    ]


def test_every_constraint_family_has_a_row_in_the_model_doc() -> None:
    text = MODEL_DOC.read_text(encoding="utf-8")
    families = define_functions()
    assert len(families) >= 20
    missing = [f for f in families if not re.search(rf"^\| `{f}` \|", text, re.MULTILINE)]
    assert not missing, f"docs/model.md has no row for {missing}"


def test_every_objective_has_a_row_in_the_model_doc() -> None:
    text = MODEL_DOC.read_text(encoding="utf-8")
    missing = [o.value for o in Objective if not re.search(rf"^\| `{o.value}` \|", text, re.M)]
    assert not missing, f"docs/model.md has no row for {missing}"


def test_build_uses_every_constraint_family_the_doc_lists() -> None:
    """A define_* function that build() never calls would be documented but not in the model."""
    source = inspect.getsource(formulation.build)
    unused = [f for f in define_functions() if f"{f}(" not in source]
    assert not unused, unused
