"""The command line where a user's files or arguments are unusual: an output folder that is an
input or a data package, a write that fails half-way, YAML that reads differently from how it
looks, Vietnamese text typed in decomposed Unicode, arguments that are not numbers.

Each case lost data, corrupted a folder or crashed before it was fixed. The commands run in this
process (``cli.main``) on the example package.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pytest

from cli import main as cli
from models import Commune
from models.io import load_package, save_csv
from models.package_warnings import package_warnings
from models.scenario_io import ScenarioFileError, load_scenario
from reports import output
from store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the example package, and base.yaml, a scenario on it, beside it."""
    copy = tmp_path / "ex"
    shutil.copytree(EXAMPLE, copy)
    (tmp_path / "base.yaml").write_text(
        f"name: Ví dụ\ndataset: {copy}\nhorizon: {{start: 2026, end: 2027}}\n", encoding="utf-8"
    )
    return copy


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# -- output folders ------------------------------------------------------------------------------
def test_a_report_is_never_written_into_its_own_data_package(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The report's communes.csv replaced the package's: the package no longer loaded."""
    before = contents(package)
    code = cli.main(
        ["run", str(package.parent / "base.yaml"), "--out", str(package), "--no-record"]
    )
    assert code == cli.EXIT_INVALID_INPUT
    assert "is an input of this command" in capsys.readouterr().err
    assert contents(package) == before


def test_a_report_is_never_written_into_another_data_package(
    package: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other)
    before = contents(other)
    code = cli.main(["run", str(tmp_path / "base.yaml"), "--out", str(other), "--no-record"])
    assert code == cli.EXIT_INVALID_INPUT
    assert "is a data package folder" in capsys.readouterr().err
    assert contents(other) == before


def test_a_merge_never_replaces_its_own_input(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = contents(package)
    mapping = ROOT / "data" / "mappings" / "son_la_2025.csv"
    code = cli.main(["merge", str(package), str(mapping), "--out", str(package)])
    assert code == cli.EXIT_INVALID_INPUT
    assert "is an input of this command" in capsys.readouterr().err
    assert contents(package) == before


def test_a_package_is_not_written_over_csv_files_that_are_not_its_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mapping kept as CSV in the output folder was deleted with the old tables (and kept, the
    package would not load: every CSV file of a package is a table). The folder is refused."""
    folder = tmp_path / "goi"
    folder.mkdir()
    (folder / "mapping.csv").write_text("old_code,new_code\n", encoding="utf-8")
    (folder / "communes.csv").write_text("stale\n", encoding="utf-8")
    before = contents(folder)
    with pytest.raises(FileExistsError, match=r"holds mapping\.csv, not tables of a data package"):
        save_csv(load_package(EXAMPLE), folder)
    assert contents(folder) == before
    mapping = ROOT / "data" / "mappings" / "son_la_2025.csv"
    code = cli.main(["merge", str(EXAMPLE), str(mapping), "--out", str(folder)])
    assert code == cli.EXIT_INVALID_INPUT
    assert "holds mapping.csv, not tables of a data package" in capsys.readouterr().err
    assert contents(folder) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_report_that_fails_half_way_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The swap of the folders fails (the destination is busy): nothing in it has changed, and
    neither the staging folder nor a backup is left beside it."""
    destination = tmp_path / "out"
    destination.mkdir()
    for name in ("a.txt", "b.txt", "old.txt"):
        (destination / name).write_text(f"old {name}", encoding="utf-8")

    def busy(first: Path, second: Path) -> bool:
        raise OSError(16, "Device or resource busy", str(second))

    monkeypatch.setattr(output, "exchange", busy)
    with pytest.raises(OSError, match="busy"), output.staged_output(destination) as staging:
        for name in ("a.txt", "b.txt", "new.txt"):
            (staging / name).write_text(f"new {name}", encoding="utf-8")
    assert contents(destination) == {n: f"old {n}".encode() for n in ("a.txt", "b.txt", "old.txt")}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_file_where_the_report_needs_a_folder_leaves_the_folder_as_it_was(
    tmp_path: Path,
) -> None:
    """The report writes sub/a.txt, the destination holds a file named sub (or the other way
    round): refused before anything in the destination changes."""
    destination = tmp_path / "out"
    destination.mkdir()
    (destination / "sub").write_text("mine", encoding="utf-8")
    (destination / "plan.json").mkdir()
    for wanted, error in (("sub/a.txt", NotADirectoryError), ("plan.json", IsADirectoryError)):
        with pytest.raises(error), output.staged_output(destination) as staging:
            (staging / wanted).parent.mkdir(parents=True, exist_ok=True)
            (staging / wanted).write_text("new", encoding="utf-8")
        assert (destination / "sub").read_text(encoding="utf-8") == "mine"
        assert (destination / "plan.json").is_dir()
        assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux sysfs")
def test_an_unwritable_destination_is_exit_1_naming_it(package: Path, capsys) -> None:
    """Checked before the solve; sysfs refuses new folders even to root (a chmod'ed folder
    would not stop root)."""
    out = Path("/sys") / f"ntm-report-{os.getpid()}"
    code = cli.main(["run", str(package.parent / "base.yaml"), "--out", str(out), "--no-record"])
    assert code == cli.EXIT_INVALID_INPUT
    error = capsys.readouterr().err
    assert "--out: cannot write into /sys: Operation not permitted" in error
    assert not out.exists()


def test_a_store_that_fails_during_its_write_is_exit_1_naming_it(
    package: Path, tmp_path: Path, capsys
) -> None:
    """SQLite refuses to record the run (as with a full disk): exit 1 naming the store, not 70;
    the run is not recorded and no report is written."""
    url = os.environ["NTM_DATABASE_URL"]
    Store.open(url).close()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as database:
        database.execute(
            "CREATE TRIGGER full BEFORE INSERT ON runs "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    out = tmp_path / "out"
    code = cli.main(["run", str(package.parent / "base.yaml"), "--out", str(out)])
    assert code == cli.EXIT_INVALID_INPUT
    error = capsys.readouterr().err
    assert f"the history store {url} failed: database or disk is full" in error
    assert "rolled back" in error
    assert not out.exists()
    with Store.open(url) as history:
        assert history.count_runs() == 0


def test_a_write_that_fails_says_what_could_not_be_written(
    package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """A full disk was an 'unexpected OSError' with exit 70."""

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "plan.xlsx"))

    monkeypatch.setattr(cli, "write_plan_report", full)
    out = tmp_path / "out"
    code = cli.main(["run", str(tmp_path / "base.yaml"), "--out", str(out), "--no-record"])
    assert code == cli.EXIT_INVALID_INPUT
    error = capsys.readouterr().err
    assert "cannot write" in error and "No space left on device; nothing was written" in error
    assert not out.exists()


# -- arguments -----------------------------------------------------------------------------------
@pytest.mark.parametrize("bounds", [("--high", "nan"), ("--low", "inf", "--high", "inf")])
def test_frontier_bounds_must_be_numbers(
    package: Path, bounds: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["frontier", str(package.parent / "base.yaml"), *bounds])
    assert code == cli.EXIT_USAGE
    assert "--low and --high must be numbers" in capsys.readouterr().err


def test_compare_needs_two_scenarios(package: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["compare", str(package.parent / "base.yaml"), "--no-record"])
    assert code == cli.EXIT_USAGE
    assert "at least two scenario files" in capsys.readouterr().err


# -- what files say ------------------------------------------------------------------------------
def test_commune_codes_with_a_leading_zero_stay_codes_in_a_scenario(
    package: Path, tmp_path: Path
) -> None:
    """YAML 1.1 reads 03661 as the octal number 1969."""
    path = tmp_path / "must.yaml"
    path.write_text(
        "extends: base.yaml\nname: Bắt buộc\npolicies:\n"
        "  must_reach: [{name: m, communes: [03661, 90004]}]\n",
        encoding="utf-8",
    )
    assert load_scenario(path).policies.must_reach[0].communes == ("03661", "90004")


def test_a_key_given_twice_in_a_scenario_is_an_error(package: Path, tmp_path: Path) -> None:
    """The second ``budgets:`` silently replaced the first, and the 20 % cut was lost."""
    path = tmp_path / "twice.yaml"
    path.write_text(
        "extends: base.yaml\nname: Hai lần\nbudgets: {scale: 0.8}\nbudgets: {carry_over: false}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioFileError) as raised:
        load_scenario(path)
    assert "line 4, column 1" in str(raised.value) and "'budgets' given twice" in str(raised.value)


def test_vietnamese_typed_with_combining_marks_equals_the_precomposed_text() -> None:
    """Unikey's "Unicode tổ hợp" and macOS write "Mẫu" as M + a + circumflex + tilde: a district
    in one form was an unknown district in the other, and split its money in two rows."""
    precomposed = "Huyện Mẫu Sơn"
    decomposed = unicodedata.normalize("NFD", precomposed)
    assert decomposed != precomposed
    commune = Commune(
        code="90001",
        name=f"Xã {decomposed}",
        district=decomposed,
        region="II",
        population=1000,
        households=250,
        poverty_rate=0.1,
    )
    assert (commune.name, commune.district) == (f"Xã {precomposed}", precomposed)


# -- packages that load but cannot work as written ------------------------------------------------
def test_a_package_without_money_or_with_a_category_typo_is_warned_about(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both loaded silently: every plan then funded nothing, or the source paid for nothing."""
    dataset = load_package(package)
    assert package_warnings(dataset) == []
    sources = [
        s.model_copy(update={"eligible_categories": ("raod",)}) if s.code == "central" else s
        for s in dataset.sources
    ]
    broken = dataset.model_copy(update={"budgets": (), "sources": tuple(sources)})
    (no_money, typo) = (str(w) for w in package_warnings(broken))
    assert no_money == "budgets: no money in any year; every plan on this package funds nothing"
    assert typo.startswith(
        "funding_sources: central: eligible_categories 'raod' is the category of no investment; "
        "the source can pay for nothing (categories: "
    )
    save_csv(broken, package)
    assert cli.main(["validate", str(package)]) == cli.EXIT_OK
    shown = capsys.readouterr().out
    assert f"  warning: {no_money}" in shown and f"  warning: {typo}" in shown


@pytest.mark.parametrize("name", ["example", "son_la_2021", "son_la_2026"])
def test_the_bundled_packages_need_no_warning(name: str) -> None:
    assert package_warnings(load_package(ROOT / "data" / name)) == []


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("vi", "  Giải qua bài toán gộp cả giai đoạn: phương án tối ưu"),
        ("en", "  Solved through the pooled relaxation: the pooled optimum"),
    ],
)
def test_the_plans_note_is_printed_in_the_chosen_language(
    package: Path, tmp_path: Path, lang: str, note: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An annual scenario solved through its pooled relaxation: the note was English in both."""
    annual = tmp_path / "annual.yaml"
    annual.write_text(
        "extends: base.yaml\nname: Từng năm\nhorizon: {start: 2026, end: 2027, single_period: false}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    code = cli.main(["run", str(annual), "--out", str(out), "--no-record", "--lang", lang])
    assert code == cli.EXIT_OK
    printed = capsys.readouterr().out.splitlines()
    assert any(line.startswith(note) for line in printed), printed


def test_a_folder_given_as_scenario_and_an_extends_list_are_said_as_such(
    package: Path, tmp_path: Path
) -> None:
    with pytest.raises(ScenarioFileError, match="is a folder; give a scenario file"):
        load_scenario(package)
    listed = tmp_path / "listed.yaml"
    listed.write_text("extends: [base.yaml, cut.yaml]\nname: Hai gốc\n", encoding="utf-8")
    with pytest.raises(ScenarioFileError, match=r"extends: must be one scenario file name"):
        load_scenario(listed)


def test_a_merge_never_replaces_the_current_folder(
    package: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It would leave the shell in a deleted folder."""
    monkeypatch.chdir(package)
    mapping = ROOT / "data" / "mappings" / "son_la_2025.csv"
    assert cli.main(["merge", str(EXAMPLE), str(mapping), "--out", "."]) == cli.EXIT_INVALID_INPUT
    assert "holds the current folder" in capsys.readouterr().err


def test_a_report_that_fails_after_its_run_was_recorded_says_which_run(
    package: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The run is recorded before its report is moved into place: the user learns it is kept,
    and how to write its report from the history."""
    monkeypatch.setenv("NTM_DATABASE_URL", f"sqlite:///{tmp_path / 'history.db'}")

    def locked(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path / "out" / "plan.xlsx"))

    monkeypatch.setattr(output, "publish", locked)
    code = cli.main(["run", str(tmp_path / "base.yaml"), "--out", str(tmp_path / "out")])
    assert code == cli.EXIT_INVALID_INPUT
    error = capsys.readouterr().err
    assert "the history keeps run 1, recorded before the report failed" in error
    assert "ntm show 1 --out DIR" in error
    assert "Permission denied; nothing was written" in error
