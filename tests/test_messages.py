"""Messages as data: one catalogue per language (models/messages/<lang>.yaml), codes in the code.

Every problem and plan note carries a code and its values; the catalogues give the text. These
tests hold the catalogues complete and consistent, hold every code the code writes to an entry,
and read real problems and notes in Vietnamese with no English left in them.
"""

from __future__ import annotations

import ast
import re
import shutil
import string
from pathlib import Path

import pytest

from models.commune import NtmLevel
from models.io import DataPackageError, load_package
from models.messages import LANGUAGES, Message, catalogue, msg, render
from models.scenario import Objective
from optimizer.baselines import BASELINES, ignored_policies
from optimizer.phasing import PHASED_NOTE
from optimizer.plan import Plan
from optimizer.solve import INFEASIBLE_NOTE, NOT_PROVEN_NOTE, TIME_LIMIT_NOTE

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
SOURCES = ("models", "optimizer", "store", "reports", "application", "cli", "ui", "app.py")
CODE_CALLS = {"msg", "invalid", "text", "has_text"}
"""Functions whose first argument is a catalogue key."""


KEY = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")
"""A catalogue key: dotted snake_case (an SQL text() or a path is none)."""


def fields(template: str) -> set[str]:
    """The names of a text's ``{fields}``."""
    return {name.split(".")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def source_files() -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return files


def keys_in_code(calls: tuple[str, ...] = (*CODE_CALLS, "t", "label")) -> dict[str, str]:
    """Every literal key passed to one of ``calls`` in the sources, with where."""
    found: dict[str, str] = {}
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
            if called in calls and literal and KEY.fullmatch(first.value):
                found.setdefault(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def sample(code: str, lang: str) -> str:
    """``code`` rendered with each field filled by a value that is no English word."""
    return render(msg(code, **{name: "X1" for name in fields(catalogue("en")[code])}), lang)


def test_every_key_has_both_languages_with_the_same_fields() -> None:
    vi, en = catalogue("vi"), catalogue("en")
    assert LANGUAGES == ("vi", "en")
    assert set(vi) == set(en), set(vi) ^ set(en)
    differing = {k: (fields(vi[k]), fields(en[k])) for k in en if fields(vi[k]) != fields(en[k])}
    assert not differing
    assert all(text.strip() for text in (*vi.values(), *en.values()))


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    """A literal key of msg()/invalid()/t()/label() with no text would fail only when shown."""
    known = set(catalogue("en"))
    missing = {key: where for key, where in keys_in_code().items() if key not in known}
    assert not missing


def test_codes_built_from_enums_are_in_the_catalogue() -> None:
    known = set(catalogue("en"))
    built = {f"objective.{o.value}" for o in Objective}
    built |= {f"ntm_level.{level.value}" for level in NtmLevel}
    assert built <= known, built - known


def test_every_policy_a_baseline_can_ignore_has_a_name(example) -> None:
    from models.scenario import Scenario

    everything = Scenario.model_validate(
        {
            "name": "all",
            "horizon": {"start": 2026, "end": 2027},
            "policies": {
                "min_shares": [{"name": "poor", "group": "extremely_difficult", "share": 0.1}],
                "must_reach": [{"name": "one", "communes": ["03994"]}],
                "commune_cap": 5000,
                "co_financing": [
                    {"name": "match", "source": "people", "of_source": "central", "ratio": 0.1}
                ],
                "district_equity": {"name": "eq", "min_communes": 1, "min_share": 0.1},
            },
            "targets": {"no_commune_below_floor": True},
        }
    )
    names = ignored_policies(everything)
    assert len(names) == 6
    assert {f"ignored.{n}" for n in names} <= set(catalogue("en"))


# Words that stay as written in Vietnamese: the names of files, columns, keys and values a planner
# types (a column is called ``met`` in every language) and the formats' own names.
AS_TYPED = {
    "true", "false", "met", "gap", "at_risk", "source", "of_source", "extends", "group",
    "district", "key", "value", "horizon", "robustness", "gamma", "uncertainty", "overrun",
    "revised_cost", "proposed_again", "policies", "forced_out", "criteria_status", "progress_items",
    "eligible_categories", "funding_sources", "budgets", "dataset", "scale_by_source", "csv",
    "utf", "yaml", "xlsx", "zip", "excel", "null", "latitude", "longitude", "median", "low", "high",
    "name", "nul", "bomb", "sheet", "progress_disbursements", "progress_criteria", "also_to",
    "may_be_absent", "omit_empty", "empty_units", "investments", "correspondence",
}  # fmt: skip
WORD = re.compile(r"[^\W\d]{3,}")


def english_words(code: str) -> set[str]:
    """The English words of ``code``'s text (outside its fields), less the words typed as is."""
    template = re.sub(r"\{[^}]*\}", " ", catalogue("en")[code])
    return {w.lower() for w in WORD.findall(template)} - AS_TYPED


def message_codes() -> set[str]:
    """The codes of problems, warnings and notes: those the code passes to msg()/invalid(), the
    families they belong to (``reference.…``, ``note.…``), and those built from a name."""
    scanned = set(keys_in_code(calls=("msg", "invalid")))
    families = {key.split(".")[0] for key in scanned} | {"ignored", "ntm_level", "what"}
    return {key for key in catalogue("en") if key.split(".")[0] in families}


@pytest.mark.parametrize("code", sorted(message_codes()))
def test_no_english_is_left_in_a_vietnamese_message(code: str) -> None:
    """The Vietnamese text of each problem, warning and note code has none of its English words:
    nothing reaches a planner in English because a translation matched a sentence shape (no
    module translates by shape any more)."""
    words = english_words(code)
    shown = {w.lower() for w in WORD.findall(sample(code, "vi"))}
    assert not words & shown, (code, sample(code, "vi"))


def test_the_regular_expression_translators_are_gone() -> None:
    assert not (ROOT / "reports" / "notes.py").exists()
    text = (ROOT / "ui" / "problem_text.py").read_text(encoding="utf-8")
    assert "import re" not in text and "PATTERNS_VI" not in text and "UNKNOWN" not in text
    for path in source_files():
        source = path.read_text(encoding="utf-8")
        assert "NOTE_PATTERNS" not in source and "PATTERNS_VI" not in source, path


@pytest.fixture
def broken_package(tmp_path: Path) -> Path:
    """The example package with a problem of each common kind."""
    folder = tmp_path / "broken"
    shutil.copytree(EXAMPLE, folder)
    budgets = (folder / "budgets.csv").read_text(encoding="utf-8").splitlines()
    header, first, *rest = budgets
    cells = first.split(",")
    cells[header.split(",").index("amount")] = "-3"
    (folder / "budgets.csv").write_text(
        "\n".join([header, ",".join(cells), *rest, rest[0]]) + "\n", encoding="utf-8"
    )
    status = (folder / "criteria_status.csv").read_text(encoding="utf-8").splitlines()
    row = status[1].split(",")
    row[status[0].split(",").index("commune_code")] = "09999"
    (folder / "criteria_status.csv").write_text(
        "\n".join([*status, ",".join(row)]) + "\n", encoding="utf-8"
    )
    investments = (folder / "investments.csv").read_text(encoding="utf-8").splitlines()
    (folder / "investments.csv").write_text(
        "\n".join([investments[0] + ",colour", *(r + ",red" for r in investments[1:])]) + "\n",
        encoding="utf-8",
    )
    return folder


def test_problems_of_a_malformed_package_read_in_vietnamese(broken_package: Path) -> None:
    with pytest.raises(DataPackageError) as raised:
        load_package(broken_package)
    problems = raised.value.problems
    assert len(problems) >= 2
    for problem in problems:
        english, vietnamese = problem.text("en"), problem.text("vi")
        assert english == str(problem)
        assert vietnamese != english
        assert isinstance(problem.message, Message)
        assert not english_words(problem.message.code) & {
            w.lower() for w in WORD.findall(problem.message.text("vi"))
        }
    lines = [p.text("vi") for p in problems]
    assert "investments.csv cột colour: cột không có trong mẫu; các cột: " in lines[0]
    shown = "\n".join(lines)
    assert "budgets.csv dòng 2, cột amount: -3 là số âm; phải từ 0 trở lên" in shown


def test_cross_table_problems_read_in_vietnamese(broken_package: Path) -> None:
    (broken_package / "investments.csv").write_text(
        (EXAMPLE / "investments.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (broken_package / "budgets.csv").write_text(
        (EXAMPLE / "budgets.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(DataPackageError) as raised:
        load_package(broken_package)
    lines = [p.text("vi") for p in raised.value.problems]
    assert any("không có xã '09999' trong bộ dữ liệu" in line for line in lines), lines
    assert all("unknown" not in line for line in lines)


def test_every_plan_note_reads_in_vietnamese(example) -> None:
    from models.scenario import Scenario

    scenario = Scenario.model_validate(
        {
            "name": "cap",
            "horizon": {"start": 2026, "end": 2027},
            "policies": {"commune_cap": 5000},
        }
    )
    written = [note for rule in BASELINES.values() for note in rule(example, scenario).notes]
    notes = [
        *written,
        PHASED_NOTE,
        TIME_LIMIT_NOTE,
        NOT_PROVEN_NOTE,
        INFEASIBLE_NOTE,
        msg("note.level_stopped", objective=msg("objective.communes_at_floor")),
        msg("note.committed_unfunded", item="INV08"),
        msg("note.at_risk_unkept", criterion="transport", commune="03994"),
        msg("note.alternative", tolerance="1", best="5", lead="criteria_met", key="x", value="4"),
    ]
    assert {n.code for n in notes} == {k for k in catalogue("en") if k.startswith("note.")}
    for note in notes:
        assert render(note, "vi") != render(note, "en"), note
    assert render(written[1], "vi") == "không xét: mức vốn tối đa mỗi xã"
    assert render(written[1], "en") == "ignores: the cap per commune"
    stopped = notes[len(written) + 4]
    assert "«Nhiều xã đạt từ … tiêu chí trở lên nhất»" in render(stopped, "vi")
    plan = BASELINES["formula"](example, scenario).model_copy(update={"notes": (stopped,)})
    assert "«Most communes meeting at least 15 criteria»" in plan.note_text("en", floor=15)


def test_a_plan_stored_with_an_english_note_shows_it_as_written(example) -> None:
    """plan.json and the history store hold plans written before notes had codes: their note is
    one English string, shown as written (no translation by its shape), in every language."""
    from models.scenario import Scenario

    scenario = Scenario.model_validate({"name": "s", "horizon": {"start": 2026, "end": 2027}})
    plan = BASELINES["closest_first"](example, scenario)
    old = plan.model_dump(mode="json", exclude={"notes"}) | {"message": "Closest to standard first"}
    read = Plan.model_validate(old)
    assert read.message == "Closest to standard first"
    assert read.note_text("vi") == "Closest to standard first"
    assert read.model_copy(update={"notes": ()}).message == ""
    assert Plan.model_validate_json(plan.model_dump_json()) == plan
    assert plan.note_text("vi") == "Ưu tiên xã gần đạt chuẩn nhất"


def test_pydantic_s_own_errors_read_in_vietnamese_with_their_english_unchanged(
    tmp_path: Path,
) -> None:
    """A cell pydantic refuses (not a number) is said in pydantic's words in English, as before,
    and in the catalogue's in Vietnamese; an error the catalogue lacks keeps pydantic's words."""
    folder = tmp_path / "p"
    shutil.copytree(EXAMPLE, folder)
    lines = (folder / "communes.csv").read_text(encoding="utf-8").splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    row[header.index("households")] = "abc"
    (folder / "communes.csv").write_text(
        "\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8"
    )
    with pytest.raises(DataPackageError) as raised:
        load_package(folder)
    (problem,) = raised.value.problems
    assert str(problem) == (
        "communes.csv row 2, column households: 'abc' is not valid: Input should be a valid "
        "integer, unable to parse string as an integer"
    )
    assert (
        problem.text("vi")
        == "communes.csv dòng 2, cột households: 'abc' không hợp lệ: phải là số nguyên"
    )
