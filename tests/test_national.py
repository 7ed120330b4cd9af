"""National runs: every province solved on its own, and the split of central money across them.

The hand case (``two_provinces``), central money only, one year:

* province A: one Region III commune (formula weight 50) whose only gap a 400 road closes;
  its own central money 200;
* province B: two Region I communes (weight 30 each) whose gaps 150 roads close; own money 200.

The national total is 400. The formula gives A 400·50/110 ≈ 182 (nothing completes) and B 218
(one commune): 1 commune at standard. The best split gives B 300 (both communes) and A nothing:
2 communes — A's single commune would take all 400 for one. The grid step is 400 / (2 × 4) = 50,
so 300 is on B's grid (up to 3 × 218).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from builders import dataset as build_dataset
from hypothesis import given, settings
from hypothesis import strategies as st

from models.io import DataPackageError, load_package, save_csv
from models.io.provinces import load_provinces
from models.scenario import Objective, Scenario
from optimizer.national import (
    Province,
    SplitOption,
    best_split,
    central_split,
    formula_shares,
    province_weight,
    solve_provinces,
    whole_parts,
    with_source_money,
)
from optimizer.solve import solve
from optimizer.sweep import InProcess

ROOT = Path(__file__).resolve().parents[1]
ONE_YEAR = Scenario(name="national test", horizon={"start": 2026, "end": 2026})


def province_a() -> Province:
    return Province(
        "A",
        build_dataset(
            gaps={"A1": {"transport": 1}},
            items=[{"code": "RA", "cost": 400, "effects": {("A1", "transport"): 1}}],
            budgets={("central", 2026): 200},
            criteria=("transport",),
            communes={"A1": {"region": "III"}},
        ),
    )


def province_b() -> Province:
    return Province(
        "B",
        build_dataset(
            gaps={"B1": {"transport": 1}, "B2": {"transport": 1}},
            items=[
                {"code": "RB1", "cost": 150, "effects": {("B1", "transport"): 1}},
                {"code": "RB2", "cost": 150, "effects": {("B2", "transport"): 1}},
            ],
            budgets={("central", 2026): 200},
            criteria=("transport",),
            communes={"B1": {"region": "I"}, "B2": {"region": "I"}},
        ),
    )


@pytest.fixture(scope="module")
def two_provinces() -> list[Province]:
    return [province_a(), province_b()]


# -- the pieces ---------------------------------------------------------------------------------
def test_formula_shares_follow_the_weights_in_whole_money(two_provinces) -> None:
    weights = [province_weight(p.dataset, ONE_YEAR) for p in two_provinces]
    assert weights == [50.0, 60.0]
    assert formula_shares(weights, 400) == [182, 218]
    assert formula_shares([0.0, 0.0, 0.0], 10) == [4, 3, 3]


@given(st.lists(st.floats(0.01, 100), min_size=1, max_size=8), st.integers(0, 10**7))
def test_whole_parts_add_up_and_stay_within_one_of_the_exact_share(weights, total) -> None:
    parts = whole_parts(weights, total)
    assert sum(parts) == total
    exact = [total * w / sum(weights) for w in weights]
    assert all(abs(p - x) < 1 for p, x in zip(parts, exact, strict=True))


def test_best_split_by_hand() -> None:
    """Three provinces. Within 10: B 4 + C 6 gives 3 + 4 = 7 (A 5 + B 4 gives only 5). Within 9:
    A 5 + B 4 and C 9 both give 5, the most; either may be chosen."""
    options = [
        [
            SplitOption(money=0, communes_at_standard=0),
            SplitOption(money=5, communes_at_standard=2),
        ],
        [
            SplitOption(money=0, communes_at_standard=0),
            SplitOption(money=4, communes_at_standard=3),
        ],
        [
            SplitOption(money=0, communes_at_standard=0),
            SplitOption(money=6, communes_at_standard=4),
            SplitOption(money=9, communes_at_standard=5),
        ],
    ]
    assert best_split(options, 10) == [0, 1, 1]
    within_nine = best_split(options, 9)
    assert within_nine in ([1, 1, 0], [0, 0, 2])


def test_best_split_skips_options_without_a_plan_and_refuses_an_impossible_total() -> None:
    options = [
        [
            SplitOption(money=0, communes_at_standard=None),
            SplitOption(money=3, communes_at_standard=1),
        ]
    ]
    assert best_split(options, 5) == [1]
    with pytest.raises(ValueError, match="province 1 has no option within the total"):
        best_split(options, 2)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), min_size=1, max_size=4),
        min_size=1,
        max_size=4,
    ),
    st.integers(0, 60),
)
def test_best_split_is_the_best_of_every_combination(raw, total) -> None:
    """Against trying every combination of one option per province."""
    options = [
        [SplitOption(money=m, communes_at_standard=v) for m, v in offered] for offered in raw
    ]
    feasible = [
        combo for combo in itertools.product(*options) if sum(o.money for o in combo) <= total
    ]
    if not feasible:
        with pytest.raises(ValueError):
            best_split(options, total)
        return
    chosen = best_split(options, total)
    picked = [options[p][k] for p, k in enumerate(chosen)]
    assert sum(o.money for o in picked) <= total
    assert sum(o.communes_at_standard for o in picked) == max(
        sum(o.communes_at_standard for o in combo) for combo in feasible
    )


def test_with_source_money_replaces_only_that_source_in_whole_money() -> None:
    b = province_b().dataset
    three_years = Scenario(name="t", horizon={"start": 2026, "end": 2028})
    changed = with_source_money(b, three_years, "central", 100)
    amounts = {(o.source, o.year): o.amount for o in changed.budgets.overrides}
    assert amounts == {("central", 2026): 100, ("central", 2027): 0, ("central", 2028): 0}
    evenly = with_source_money(
        b,
        three_years.model_copy(
            update={"budgets": three_years.budgets.model_copy(update={"scale": 0})}
        ),
        "central",
        100,
    )
    assert sorted(o.amount for o in evenly.budgets.overrides) == [33, 33, 34]


# -- every province -----------------------------------------------------------------------------
def test_each_province_is_solved_as_its_own_problem(two_provinces) -> None:
    run, plans = solve_provinces(two_provinces, ONE_YEAR, executor=InProcess())
    assert [p.province for p in run.provinces] == ["A", "B"]
    for province, plan in zip(two_provinces, plans, strict=True):
        alone = solve(province.dataset, ONE_YEAR)
        assert plan.funded_codes() == alone.funded_codes()
        assert plan.kpis == alone.kpis
    assert [(p.at_standard_before, p.at_standard_after) for p in run.provinces] == [(0, 0), (0, 1)]
    assert run.at_standard_after == 1


def test_repeated_province_names_are_refused(two_provinces) -> None:
    with pytest.raises(ValueError, match="province names repeat: A"):
        solve_provinces([two_provinces[0], two_provinces[0]], ONE_YEAR, executor=InProcess())


# -- the central split --------------------------------------------------------------------------
def test_central_split_by_hand(two_provinces) -> None:
    split = central_split(two_provinces, ONE_YEAR, executor=InProcess())
    assert split.total == 400 and split.step == 50
    a, b = split.provinces
    assert (a.formula_money, a.formula_communes, b.formula_money, b.formula_communes) == (
        182,
        0,
        218,
        1,
    )
    assert (a.best_money, a.best_communes, b.best_money, b.best_communes) == (0, 0, 300, 2)
    assert (split.formula_communes, split.best_communes) == (1, 2)


def test_every_option_is_the_province_solved_at_that_money(two_provinces) -> None:
    split = central_split(two_provinces, ONE_YEAR, executor=InProcess())
    first = ONE_YEAR.model_copy(update={"objectives": (Objective.COMMUNES_AT_STANDARD,)})
    for province, row in zip(two_provinces, split.provinces, strict=True):
        for option in row.options:
            scenario = with_source_money(province.dataset, first, "central", option.money)
            expected = solve(province.dataset, scenario).kpis.at_standard_after
            assert option.communes_at_standard == expected, (province.name, option.money)


@pytest.mark.slow
def test_the_split_is_the_same_on_one_and_two_dask_workers(two_provinces, dask_workers) -> None:
    one = central_split(two_provinces, ONE_YEAR, executor=dask_workers(1))
    two = central_split(two_provinces, ONE_YEAR, executor=dask_workers(2))
    assert one.model_dump(exclude={"seconds"}) == two.model_dump(exclude={"seconds"})
    run_one, _ = solve_provinces(two_provinces, ONE_YEAR, executor=dask_workers(1))
    run_two, _ = solve_provinces(two_provinces, ONE_YEAR, executor=dask_workers(2))
    strip = {"seconds": True, "workers": True, "provinces": {"__all__": {"seconds"}}}
    assert run_one.model_dump(exclude=strip) == run_two.model_dump(exclude=strip)


# -- loading the provinces and the command ------------------------------------------------------
def test_load_provinces_names_each_package_and_lists_every_problem(tmp_path: Path) -> None:
    for name, province in [("Tỉnh_A", province_a()), ("Tỉnh_B", province_b())]:
        save_csv(province.dataset, tmp_path / name)
    loaded = load_provinces(tmp_path)
    assert [name for name, _ in loaded] == ["Tỉnh A", "Tỉnh B"]
    (tmp_path / "Tỉnh_B" / "budgets.csv").write_text("source_code,year,amount\ncentral,2026,-5\n")
    with pytest.raises(DataPackageError) as caught:
        load_provinces(tmp_path)
    assert any(p.location.startswith("Tỉnh_B/") for p in caught.value.problems)
    with pytest.raises(DataPackageError, match="is one data package"):
        load_provinces(tmp_path / "Tỉnh_A")


def test_an_empty_folder_holds_no_package(tmp_path: Path) -> None:
    with pytest.raises(DataPackageError, match="holds no data package"):
        load_provinces(tmp_path)


@pytest.mark.slow
def test_ntm_national_writes_the_report_and_refuses_a_single_package(tmp_path: Path) -> None:
    packages = tmp_path / "provinces"
    for name in ("Tỉnh_1", "Tỉnh_2"):
        shutil.copytree(ROOT / "data" / "example", packages / name)
    scenario = tmp_path / "national.yaml"
    scenario.write_text(
        "name: national example\nhorizon: {start: 2026, end: 2027}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    ntm = [sys.executable, "-m", "cli.main", "-q"]
    done = subprocess.run(
        [*ntm, "national", str(packages), str(scenario), "--out", str(out), "--workers", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} == {
        "provinces.csv",
        "central_split.csv",
        "national.xlsx",
        "national.json",
    }
    example = load_package(ROOT / "data" / "example")
    alone = solve(example, Scenario(name="x", horizon={"start": 2026, "end": 2027}))
    assert f"{2 * alone.kpis.at_standard_after}" in done.stdout
    refused = subprocess.run(
        [*ntm, "national", str(ROOT / "data" / "example"), str(scenario), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert refused.returncode == 1
    assert "is one data package" in refused.stderr
