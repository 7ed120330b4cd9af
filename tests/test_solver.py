"""The one solver interface (optimizer/solver.py): answers that check themselves, every solver
return checked, names that are labels and never identity, and HiGHS and CBC agreeing."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pulp
import pytest
from builders import dataset
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from solver_cases import warm_start_level
from strategies import instances

from models.dataset import Dataset
from models.io import DataPackageError, load_package
from models.scenario import Objective, Scenario, Solver
from optimizer.check import check_plan
from optimizer.formulation import build
from optimizer.inputs import prepare
from optimizer.names import escape, name, unescape
from optimizer.plan import Agreement, PlanStatus
from optimizer.solve import make_level_solver, run_levels, solve
from optimizer.solver import (
    CbcBackend,
    ModelMatrix,
    SolverError,
    make_backend,
    solve_model,
)
from optimizer.verify import verify

NTM = Path(sys.executable).with_name("ntm")
EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"
SOLVERS = [Solver.HIGHS, Solver.CBC]


def scenario(**overrides) -> Scenario:
    return Scenario.model_validate(
        {"name": "solver", "horizon": {"start": 2026, "end": 2026}} | overrides
    )


def with_solver(chosen: Scenario, solver: Solver) -> Scenario:
    return chosen.model_copy(update={"solver": chosen.solver.model_copy(update={"name": solver})})


# -- the warm-started level (issue #15, defect 1) ------------------------------------------------
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_a_warm_started_level_gives_the_solution_not_the_start(warm: bool) -> None:
    """The shrunk instance: the annual optimum funds I04 (750) and brings 1 commune to the floor
    (criteria met 4). With highspy 1.16.0 a warm-started level reported 1 but handed back its
    start (worth 0); the answer's check notices and the level is solved again cold."""
    data, chosen = warm_start_level()
    run = run_levels(
        build(prepare(data, chosen)),
        chosen.objectives,
        make_level_solver(chosen.solver, warm_start=warm),
    )
    assert [lv.value for lv in run.levels] == [0, 1, 4, 750]
    assert run.decisions is not None and set(run.decisions[0]) == {"I04"}
    plan = solve(data, chosen)
    assert plan.status == PlanStatus.OPTIMAL
    assert [lv.value for lv in plan.levels] == [0, 1, 4, 750]
    assert plan.funded_codes() == {"I04"}
    assert check_plan(data, chosen, plan) == []


def test_every_plan_records_its_solver_versions() -> None:
    from importlib import metadata

    data, chosen = warm_start_level()
    versions = solve(data, chosen).solver_versions
    assert versions == {"highspy": metadata.version("highspy"), "pulp": metadata.version("pulp")}


# -- names are labels (defect 2) -----------------------------------------------------------------
def test_names_escape_instead_of_collapsing() -> None:
    """Codes that the old helper made equal stay apart, and each escaped key reads back."""
    codes = ["R-1", "r_1", "R_1", "r1", "R1", "a_b", "a", "b", "Đồng", "", "x.2d.y", "a b"]
    names = [name("fund", c, 2026) for c in codes]
    assert len(set(names)) == len(codes)
    assert [unescape(escape(c)) for c in codes] == codes
    assert name("pay", "a_b") != name("pay", "a", "b")
    assert all(not set(n) & set("-+[]>/ ") for n in names)  # nothing PuLP rewrites
    assert name("budget", "central", 2024) == "budget_central_2024"


def test_case_variants_are_two_items() -> None:
    """R-1 closes commune 10001 and r_1 commune 10002, 10 each with 15 to spend: the optimum
    brings exactly one commune to standard (they were one column and the answer was 0)."""
    data = dataset(
        gaps={"10001": {"transport": 1}, "10002": {"transport": 1}},
        items=[
            {"code": "R-1", "cost": 10, "effects": {("10001", "transport"): 1}},
            {"code": "r_1", "cost": 10, "effects": {("10002", "transport"): 1}},
        ],
        budgets={("central", 2026): 15},
        criteria=("transport",),
    )
    for solver in SOLVERS:
        chosen = with_solver(scenario(), solver)
        plan = solve(data, chosen)
        assert plan.status == PlanStatus.OPTIMAL
        assert plan.kpis.at_standard_after == 1
        assert len(plan.funded_codes()) == 1
        assert check_plan(data, chosen, plan) == []


def test_source_codes_that_join_alike_make_distinct_payment_classes() -> None:
    """Sources a_b, a and b: an item paid by a_b alone and one paid by a or b were one payment
    class name (a_b_1y) and build() raised PuLP's overlapping constraint names."""
    data = dataset(
        gaps={"10001": {"transport": 1}, "10002": {"income": 1}},
        items=[
            {"code": "R", "cost": 10, "effects": {("10001", "transport"): 1}},
            {
                "code": "L",
                "cost": 10,
                "kind": "livelihood",
                "category": "production",
                "effects": {("10002", "income"): 1},
            },
        ],
        budgets={("a_b", 2026): 10, ("a", 2026): 5, ("b", 2026): 5},
        sources=[
            {"code": "a_b", "eligible_kinds": ("infrastructure",)},
            {"code": "a", "eligible_kinds": ("livelihood",)},
            {"code": "b", "eligible_kinds": ("livelihood",)},
        ],
        criteria=("transport", "income"),
    )
    for solver in SOLVERS:
        chosen = with_solver(scenario(), solver)
        plan = solve(data, chosen)
        assert plan.kpis.at_standard_after == 2
        assert check_plan(data, chosen, plan) == []


ITEM_CODES = ["R-1", "r_1", "R_1", "r-1", "R1", "r1", "Đ1", "đ1", "R 1", "R", "r", "R-", "x"]
COMMUNE_CODES = ["X-1", "x_1", "X_1", "x-1", "Xã 1", "xã-1", "X", "x", "X-", "a.1", "A.1"]
SOURCE_CODES = ["a_b", "a", "b", "a_b_c", "b_c", "ab", "a__b", "_a", "a_", "c"]


def _codes(pool: list[str], alphabet: str):
    return st.sampled_from(pool) | st.text(alphabet=alphabet, min_size=1, max_size=4)


@st.composite
def renamings(draw: st.DrawFn, data: Dataset) -> tuple[dict, dict, dict]:
    """An adversarial new code for every commune, item and source: case variants, punctuation,
    Vietnamese letters, codes that are prefixes of each other, ``_`` inside codes."""
    letters = "Rr-_.Đđ1ã"

    def unique(old: list[str], pool: list[str], alphabet: str, valid) -> dict[str, str]:
        new = draw(
            st.lists(
                _codes(pool, alphabet).filter(valid),
                min_size=len(old),
                max_size=len(old),
                unique=True,
            )
        )
        return dict(zip(old, new, strict=True))

    def admin_safe(code: str) -> bool:  # digits only would be zero-padded (a different code)
        return code.strip() == code and not code.isdigit()

    communes = unique([c.code for c in data.communes], COMMUNE_CODES, letters, admin_safe)
    items = unique([i.code for i in data.investments], ITEM_CODES, letters, admin_safe)
    sources = unique(
        [s.code for s in data.sources],
        SOURCE_CODES,
        "ab_c",
        lambda c: bool(c) and set(c) <= set("abc_"),
    )
    return communes, items, sources


def renamed(
    data: Dataset, chosen: Scenario, communes: dict, items: dict, sources: dict
) -> tuple[Dataset, Scenario]:
    """The same instance with every commune, item and source code replaced."""
    d = data.model_dump(mode="json")
    for row in d["communes"]:
        row["code"] = communes[row["code"]]
    for row in d["status"]:
        row["commune_code"] = communes[row["commune_code"]]
    for row in d["investments"]:
        row["code"] = items[row["code"]]
    for row in d["effects"]:
        row["investment_code"] = items[row["investment_code"]]
        row["commune_code"] = communes[row["commune_code"]]
    for row in d["sources"]:
        row["code"] = sources[row["code"]]
    for row in d["budgets"]:
        row["source_code"] = sources[row["source_code"]]
    policies = chosen.policies.model_copy(
        update={"forced_out": tuple(items[i] for i in chosen.policies.forced_out)}
    )
    return Dataset.model_validate(d), chosen.model_copy(update={"policies": policies})


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), instance=instances())
def test_renaming_every_code_never_changes_a_plans_values(data, instance) -> None:
    """Random instances, every code renamed adversarially: the same level values and KPIs, and
    the renamed plan passes the independent checker. (30 examples, about 30 s on the shared
    2-core machine, noisy.)"""
    original, chosen = instance
    communes, items, sources = data.draw(renamings(original))
    other, other_scenario = renamed(original, chosen, communes, items, sources)
    plan, again = solve(original, chosen), solve(other, other_scenario)
    assert again.status == plan.status
    assert [(lv.objective, round(lv.value, 6)) for lv in again.levels] == [
        (lv.objective, round(lv.value, 6)) for lv in plan.levels
    ]
    if plan.kpis is not None:
        k, r = plan.kpis, again.kpis
        assert (r.at_standard_after, r.at_floor_after, r.criteria_met_after) == (
            k.at_standard_after,
            k.at_floor_after,
            k.criteria_met_after,
        )
        assert r.money_total == pytest.approx(k.money_total)
        assert check_plan(other, other_scenario, again) == []


# -- HiGHS and CBC agree -------------------------------------------------------------------------
@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_highs_and_cbc_agree_on_every_level(instance) -> None:
    """The audit (--verify) on random instances: CBC solves every level of HiGHS's plan again,
    cold, and finds the same values, and HiGHS does the same for CBC's plan. (20 examples, about
    60 s on the shared 2-core machine, noisy: CBC runs as a program per level.)"""
    data, chosen = instance
    plan = solve(data, chosen)
    audit = verify(data, chosen, plan)
    assert audit.solver == "cbc"
    assert audit.agreement == Agreement.AGREE, audit.summary()
    cbc = with_solver(chosen, Solver.CBC)
    back = verify(data, cbc, solve(data, cbc))
    assert back.solver == "highs"
    assert back.agreement == Agreement.AGREE, back.summary()


# -- every solver return checked (defect 3) ------------------------------------------------------
def two_items(cost_a: int = 10) -> Dataset:
    return dataset(
        gaps={"10001": {"transport": 1}, "10002": {"transport": 1}},
        items=[
            {"code": "A", "cost": cost_a, "effects": {("10001", "transport"): 1}},
            {"code": "B", "cost": 10, "effects": {("10002", "transport"): 1}},
        ],
        budgets={("central", 2026): 100},
        criteria=("transport",),
    )


def test_money_beyond_what_the_solver_represents_is_refused_at_validation() -> None:
    with pytest.raises(ValidationError, match="more than the solver can represent"):
        two_items(cost_a=10**30)
    two_items(cost_a=10**12)  # the largest amount still accepted


def test_a_package_with_such_money_is_refused_with_its_row_and_column(tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(EXAMPLE, package)
    path = package / "investments.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[1][rows[0].index("cost")] = str(10**30)
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    with pytest.raises(DataPackageError) as error:
        load_package(package)
    assert any(
        "investments.csv row 2, column cost" in str(p) and "solver can represent" in str(p)
        for p in error.value.problems
    )


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_refused_model_is_a_loud_error_not_an_empty_plan(solver: Solver) -> None:
    """Validation bypassed (model_construct): one item costs 10^30. HiGHS refuses the model
    (a coefficient of 1e15 or more); CBC, which would call the model infeasible, is not asked.
    Either way: SolverError with the solver's words (or the row and column), never a plan."""
    data = two_items()
    big = data.investments[0].model_construct(**(dict(data.investments[0]) | {"cost": 10**30}))
    bypassed = Dataset.model_construct(**(dict(data) | {"investments": (big, data.investments[1])}))
    chosen = with_solver(scenario(), solver)
    with pytest.raises(SolverError) as error:
        solve(bypassed, chosen)
    assert "1e+30" in str(error.value)  # the solver's own words, or ours, name the value
    if solver == Solver.HIGHS:
        assert "HiGHS refused the model" in str(error.value)
    else:
        assert "row pays_central.7c.1y_2026" in str(error.value)
        assert "fund_A_2026" in str(error.value)


def test_an_answer_that_does_not_check_is_solved_again_cold_then_refused() -> None:
    """A backend whose values break a row (a real CBC run whose values are then overwritten,
    as a broken solver would hand them back) is asked again without a start; when the second
    answer is wrong too, the error says what is wrong with both."""

    class Broken(CbcBackend):
        calls = 0

        def run(self, matrix, objective, maximise, start):
            Broken.calls += 1
            answer = super().run(matrix, objective, maximise, start)
            answer.values[:] = 1.0  # every item funded: over the budget row
            return answer

    data = two_items(cost_a=95)
    f = build(prepare(data, scenario()))
    expression = f.objectives[Objective.COMMUNES_AT_STANDARD]
    with pytest.raises(SolverError, match="does not check, twice") as error:
        solve_model(f.problem, expression, True, Broken(scenario().solver))
    assert Broken.calls == 2
    assert "row pays_central.7c.1y_2026" in str(error.value)


def test_a_model_with_no_column_is_solved_by_its_rows() -> None:
    """No variable at all: feasible exactly when every row holds at zero."""
    prob = pulp.LpProblem("empty", pulp.LpMaximize)
    prob.addConstraint(pulp.LpAffineExpression([], 0) >= 0, "holds")
    backend = make_backend(scenario().solver)
    result = solve_model(prob, pulp.LpAffineExpression([], 3), True, backend)
    assert (result.has_solution, result.proven_optimal, result.value) == (True, True, 3)
    prob.addConstraint(pulp.LpAffineExpression([], 0) >= 1, "fails")
    result = solve_model(prob, pulp.LpAffineExpression(), True, backend)
    assert (result.has_solution, result.proven_infeasible) == (False, True)


def test_columns_are_found_by_identity_even_when_names_collide() -> None:
    """Two variables PuLP would name alike are still two columns of the matrix."""
    prob = pulp.LpProblem("twins", pulp.LpMaximize)
    x = prob.add_variable("same", 0, 1, pulp.LpBinary)
    y = prob.add_variable("same", 0, 1, pulp.LpBinary)
    prob.addConstraint(x + y <= 1, "one")
    matrix = ModelMatrix(prob)
    assert len(matrix.columns) == 2
    result = solve_model(matrix, 2 * x + 3 * y, True, make_backend(scenario().solver))
    assert result.value == 3 and (x.varValue, y.varValue) == (0, 1)


def test_an_accepted_gap_makes_a_feasible_plan_with_its_gap_shown() -> None:
    """A 50 % accepted gap: HiGHS may stop before proving; the plan is optimal only if every
    level still has a zero gap, else feasible with the gaps."""
    data, chosen = warm_start_level()
    loose = chosen.model_copy(
        update={"solver": chosen.solver.model_copy(update={"relative_gap": 0.5})}
    )
    plan = solve(data, loose)
    proven = all(lv.proven_optimal and lv.gap == 0 for lv in plan.levels)
    assert plan.status == (PlanStatus.OPTIMAL if proven else PlanStatus.FEASIBLE)
    assert all(lv.gap is not None for lv in plan.levels)


# -- through the command line --------------------------------------------------------------------
def _package_with_a_huge_effect(tmp_path: Path) -> Path:
    """An effect closing 10^16 times its gap: valid data, but a coverage coefficient HiGHS
    refuses (1e15 or more)."""
    package = tmp_path / "package"
    shutil.copytree(EXAMPLE, package)
    path = package / "investment_effects.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[1][rows[0].index("amount")] = "1e16"
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return package


def _scenario_file(tmp_path: Path, package: Path, solver: str = "highs") -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(
        f"name: audit\ndataset: {package}\nhorizon: {{start: 2026, end: 2027}}\n"
        f"solver: {{name: {solver}}}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_a_solver_refusal_exits_4_with_the_solvers_words(tmp_path: Path) -> None:
    scenario_file = _scenario_file(tmp_path, _package_with_a_huge_effect(tmp_path))
    done = subprocess.run(
        [str(NTM), "run", str(scenario_file), "--out", str(tmp_path / "out"), "--no-record"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4, done.stderr
    assert "HiGHS refused the model" in done.stderr
    assert "at/above tolerance of 1e+15" in done.stderr
    assert not (tmp_path / "out" / "plan.json").exists()


@pytest.mark.slow
def test_verify_reports_that_the_solvers_agree(tmp_path: Path) -> None:
    scenario_file = _scenario_file(tmp_path, EXAMPLE)
    out = tmp_path / "out"
    done = subprocess.run(
        [str(NTM), "run", str(scenario_file), "--out", str(out), "--no-record", "--verify"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "cbc agrees on every level" in done.stdout
    import json

    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))["plan"]
    assert plan["verification"]["agreement"] == "agree"
    assert plan["solver_versions"]["highspy"]


def test_a_refused_start_is_a_loud_error() -> None:
    """HiGHS refuses a start with more values than the model has columns (setSolution returns
    an error); that is said, not ignored."""
    from optimizer.highs_direct import HighsBackend

    prob = pulp.LpProblem("start", pulp.LpMaximize)
    x = prob.add_variable("x", 0, 1, pulp.LpBinary)
    y = prob.add_variable("y", 0, 1, pulp.LpBinary)
    prob.addConstraint(x + y <= 1, "one")
    backend = HighsBackend(scenario().solver)
    with pytest.raises(SolverError, match="HiGHS refused the start"):
        solve_model(prob, x + 2 * y, True, backend, start=np.zeros(5))
    assert solve_model(prob, x + 2 * y, True, backend, start=np.zeros(2)).value == 2


VARIABLE_FAMILIES = {"fund", "pay", "met", "std", "floor", "extra", "part", "cover", "x"}


def test_no_name_family_extends_another_in_the_same_namespace() -> None:
    """Keys never contain ``_``, so names are injective as long as no family is another family
    plus ``_`` and more among variables, or among constraints (cover/cover_pick: a variable and
    a constraint, which PuLP and the exported files keep apart)."""
    import re

    root = Path(__file__).resolve().parents[1] / "optimizer"
    families = {
        m
        for path in root.rglob("*.py")
        for m in re.findall(r'(?<![\w.])name\("([a-z0-9_]+)"', path.read_text(encoding="utf-8"))
    }
    assert {"fund", "budget", "cover", "cover_pick"} <= families
    clashes = [
        (a, b)
        for a in families
        for b in families
        if b.startswith(a + "_") and ((a in VARIABLE_FAMILIES) == (b in VARIABLE_FAMILIES))
    ]
    assert clashes == []
