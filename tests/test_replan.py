"""Rolling re-planning (optimizer.replan): hand-checked small cases, the identity property, the
stability objective against a fresh plan, and every rule of a progress report.

The small instance (three communes, one criterion each, 2026-2028, one source, carry-over):
  A  100, closes c1 transport           B  90 over two years, closes c2 transport
  C   50, closes c3 irrigation          D  60, also closes c3 irrigation (the alternative)
Budgets 150 / 100 / 60 = 310 over three years. The approved plan funds A, B and one of C/D; it
brings all three communes to the standard.
"""

from __future__ import annotations

import pytest
from builders import dataset
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import datasets

from models.io.progress_io import ProgressFileError, load_progress, save_progress
from models.progress import (
    CriterionReassessment,
    Disbursement,
    ItemProgress,
    Progress,
)
from models.scenario import Objective, PlannedStart, RevisedPlan, Scenario
from optimizer.plan import Plan, PlanStatus
from optimizer.replan import ReplanError, check_progress, prepare_replan, solve_replan
from optimizer.replan_report import Change, DropReason, replan_diff
from optimizer.solve import solve

MONEY = 1e-6
"""Money tolerance, million VND."""


def small():
    return dataset(
        gaps={"c1": {"transport": 1}, "c2": {"transport": 1}, "c3": {"irrigation": 1}},
        items=[
            {"code": "A", "cost": 100, "effects": {("c1", "transport"): 1}},
            {"code": "B", "cost": 90, "duration": 2, "effects": {("c2", "transport"): 1}},
            {"code": "C", "cost": 50, "effects": {("c3", "irrigation"): 1}},
            {"code": "D", "cost": 60, "effects": {("c3", "irrigation"): 1}},
        ],
        budgets={("central", 2026): 150, ("central", 2027): 100, ("central", 2028): 60},
        criteria=("transport", "irrigation"),
    )


SCENARIO = Scenario(name="small", horizon={"start": 2026, "end": 2028})


def approved_plan() -> Plan:
    """A fixed approved plan: A in 2026, B from 2026 (done 2027), C in 2028 — all paid by one
    source, feasible under the budgets (2026: 100 + 45; 2027: 45; 2028: 50)."""
    plan = solve(small(), SCENARIO.model_copy(update={"policies": {
        "committed": [
            {"investment": "A", "start_year": 2026},
            {"investment": "B", "start_year": 2026},
            {"investment": "C", "start_year": 2028},
        ],
        "forced_out": ["D"],
    }}))  # fmt: skip
    assert plan.status == PlanStatus.OPTIMAL
    assert {(i.investment, i.start_year) for i in plan.items} == {
        ("A", 2026),
        ("B", 2026),
        ("C", 2028),
    }
    return plan


def starts(plan: Plan) -> dict[str, int]:
    return {i.investment: i.start_year for i in plan.items}


def changes(revises: RevisedPlan, plan: Plan) -> int:
    """Dropped + added + moved items against the revised plan, recomputed from the plan alone."""
    planned = {p.investment: p.start_year for p in revises.items}
    funded = starts(plan)
    dropped = sum(1 for i in planned if i not in funded) + len(revises.dropped_before)
    added = sum(1 for i in funded if i not in planned)
    moved = sum(1 for i, t in funded.items() if i in planned and planned[i] != t)
    return dropped + added + moved


# -- hand-checked cases ------------------------------------------------------------------------
def test_a_completed_items_effect_counts_and_its_money_is_gone() -> None:
    """A completed for 120 (20 over its cost estimate is allowed: revised cost 120). Its gap is
    closed in the re-plan's status, it is no longer an item, and 2026's budget less what was paid
    (150 − 120 − B's 45 = −15 → nothing; so B's report says 30) carries into 2027."""
    progress = Progress(
        items=(
            ItemProgress(investment_code="A", status="completed", revised_cost=120),
            ItemProgress(investment_code="B", status="in_progress", expected_completion_year=2027),
        ),
        disbursements=(
            Disbursement(investment_code="A", source_code="central", year=2026, amount=120),
            Disbursement(investment_code="B", source_code="central", year=2026, amount=30),
        ),
    )
    replan = prepare_replan(small(), SCENARIO, approved_plan(), progress, 2027)
    d = replan.dataset
    assert d.status_by_key[("c1", "transport")].met
    assert "A" not in d.investment_by_code
    assert replan.carried == {"central": pytest.approx(0.0)}  # 150 − 120 − 30
    assert replan.budget[("central", 2027)] == pytest.approx(100.0)
    assert d.info.base_year == 2026
    plan = solve_replan(replan)
    assert "A" not in starts(plan)
    assert plan.communes[0].at_standard_before  # c1 reached the standard in 2026


def test_an_in_progress_item_is_kept_and_only_its_remaining_cost_is_paid() -> None:
    """B (90) had 40 paid in 2026 and is now expected done in 2028: 50 remain, over 2027-2028,
    committed to start in 2027 — even with objectives that would rather not pay for it."""
    progress = Progress(
        items=(
            ItemProgress(investment_code="A", status="completed"),
            ItemProgress(investment_code="B", status="in_progress", expected_completion_year=2028),
        ),
        disbursements=(
            Disbursement(investment_code="A", source_code="central", year=2026, amount=100),
            Disbursement(investment_code="B", source_code="central", year=2026, amount=40),
        ),
    )
    cheap = {"objectives": ["least_cost"]}
    replan = prepare_replan(small(), SCENARIO, approved_plan(), progress, 2027, overrides=cheap)
    assert replan.remaining == {"B": pytest.approx(50.0)}
    b = replan.dataset.investment_by_code["B"]
    assert (b.cost, b.duration_years) == (50, 2)
    plan = solve_replan(replan)
    assert starts(plan)["B"] == 2027
    paid = sum(p.amount for p in plan.payments if p.investment == "B")
    assert paid == pytest.approx(50.0, abs=MONEY)
    assert {p.year for p in plan.payments if p.investment == "B"} == {2027, 2028}


def test_a_cancelled_item_frees_its_money() -> None:
    """C is cancelled: c3 is then reached through D (added, 60 — the money C would have used and
    10 more), and C is dropped with the reason 'cancelled'. Nothing else moves."""
    progress = Progress(items=(ItemProgress(investment_code="C", status="cancelled"),))
    overrides = {"policies": {"forced_out": []}}
    approved = approved_plan()
    replan = prepare_replan(small(), SCENARIO, approved, progress, 2027, overrides=overrides)
    assert "C" not in replan.dataset.investment_by_code
    plan = solve_replan(replan)
    assert starts(plan) == {"B": 2027, "D": 2028} or starts(plan) == {"B": 2027, "D": 2027}
    assert plan.kpis.at_standard_after == 3
    diff = replan_diff(replan, approved, plan)
    by_item = {i.investment: i for i in diff.items}
    assert by_item["C"].change == Change.DROPPED
    assert by_item["C"].reason == DropReason.CANCELLED
    assert by_item["D"].change == Change.ADDED
    assert by_item["A"].change == Change.COMPLETED
    assert by_item["B"].change == Change.KEPT


def test_a_criterion_met_through_another_programme_drops_the_item_that_served_it() -> None:
    """c3 irrigation is reassessed as met in 2026: C has no gap left to close and is dropped
    with that reason; the plan spends nothing on c3."""
    progress = Progress(
        criteria=(
            CriterionReassessment(
                commune_code="c3", criterion_code="irrigation", met=True, year=2026
            ),
        )
    )
    approved = approved_plan()
    replan = prepare_replan(small(), SCENARIO, approved, progress, 2027)
    plan = solve_replan(replan)
    assert "C" not in starts(plan)
    item = next(i for i in replan_diff(replan, approved, plan).items if i.investment == "C")
    assert (item.change, item.reason) == (Change.DROPPED, DropReason.NO_GAP_LEFT)


def test_stability_keeps_the_approved_choice_where_a_fresh_plan_takes_the_cheaper_one() -> None:
    """Approved: C for c3. A fresh plan of 2027-2028 (least money last) would take C too, so
    force a tie-break the other way: with D cheaper than C a fresh plan takes D, while the
    stable re-plan keeps C (0 changes) because it still fits the budget."""
    d = small().model_copy(
        update={
            "investments": tuple(
                i.model_copy(update={"cost": 40}) if i.code == "D" else i
                for i in small().investments
            )
        }
    )
    approved = approved_plan()
    replan = prepare_replan(d, SCENARIO, approved, Progress(), 2027)
    stable = solve_replan(replan)
    fresh_scenario = replan.scenario.model_copy(
        update={"objectives": [o for o in replan.scenario.objectives if o != Objective.STABILITY]}
    )
    fresh = solve_replan(type(replan)(**{**replan.__dict__, "scenario": fresh_scenario}))
    assert starts(stable) == {"B": 2027, "C": 2028}
    assert "D" in starts(fresh)
    assert stable.kpis.at_standard_after == fresh.kpis.at_standard_after == 3
    assert changes(replan.scenario.revises, stable) == 0 < changes(replan.scenario.revises, fresh)


def test_max_changes_limits_the_changes() -> None:
    """C's cancellation is one change already: with max_changes 1, D cannot be added and c3 is
    not reached; with 2 it is."""
    progress = Progress(items=(ItemProgress(investment_code="C", status="cancelled"),))
    overrides = {"policies": {"forced_out": [], "max_changes": 1}}
    replan = prepare_replan(small(), SCENARIO, approved_plan(), progress, 2027, overrides=overrides)
    plan = solve_replan(replan)
    assert "D" not in starts(plan)
    assert plan.kpis.at_standard_after == 2
    overrides["policies"]["max_changes"] = 2
    replan = prepare_replan(small(), SCENARIO, approved_plan(), progress, 2027, overrides=overrides)
    plan = solve_replan(replan)
    assert changes(replan.scenario.revises, plan) <= 2
    assert plan.kpis.at_standard_after == 3


def test_the_change_count_weights_are_used() -> None:
    """A moved item weighs ``moved``; with moves free, the stable plan may move C."""
    revises = RevisedPlan(from_year=2027, items=(PlannedStart(investment="C", start_year=2028),))
    assert revises.weights.moved == revises.weights.added == revises.weights.dropped == 1.0


# -- the identity --------------------------------------------------------------------------------
def test_no_progress_and_the_same_budgets_give_the_approved_plan() -> None:
    approved = solve(small(), SCENARIO)
    replan = prepare_replan(small(), SCENARIO, approved, Progress(), 2027)
    plan = solve_replan(replan)
    expected = {i: max(t, 2027) for i, t in starts(approved).items() if i in starts(plan)}
    assert starts(plan) == expected
    assert {i for i, t in starts(approved).items()} == set(starts(plan)) | {
        i.investment for i in approved.items if i.completion_year < 2027
    }


@st.composite
def annual_instances(draw: st.DrawFn) -> tuple:
    d = draw(datasets())
    assume(len(d.years) == 2)
    scenario = Scenario(
        name="random",
        horizon={"start": d.years[0], "end": d.years[1]},
        budgets={
            "carry_over": draw(st.booleans()),
            "disbursement_rate": draw(st.sampled_from([None, None, 0.6])),
        },
        solver={"time_limit": 30},
    )
    return d, scenario


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annual_instances())
def test_property_no_progress_same_budgets_identical_replan(instance) -> None:
    """Every item of the approved plan still to start keeps its year; none is added or dropped;
    items under way continue; the remaining years pay what the approved plan paid then."""
    d, scenario = instance
    approved = solve(d, scenario)
    assume(approved.status == PlanStatus.OPTIMAL)
    start, end = scenario.horizon.start, scenario.horizon.end
    replan = prepare_replan(d, scenario, approved, Progress(), end)
    plan = solve_replan(replan)
    assert plan.status == PlanStatus.OPTIMAL
    remaining = {
        i.investment: max(i.start_year, end) for i in approved.items if i.completion_year >= end
    }
    assert starts(plan) == remaining
    assert changes(replan.scenario.revises, plan) == 0
    assert plan.kpis.at_standard_after == approved.kpis.at_standard_after
    paid_then = sum(p.amount for p in approved.payments if p.year == end)
    assert plan.kpis.money_total == pytest.approx(paid_then, abs=1e-4)
    assert start < end


@pytest.mark.slow
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annual_instances())
def test_property_a_10_percent_cut_changes_fewer_items_than_a_fresh_plan(instance) -> None:
    """With the remaining years' money cut by 10%, the stable re-plan reaches as many communes
    at standard as a fresh plan of the same years (communes at standard come first in both) and
    changes no more items; the change count equals the least possible, found by a direct solve
    that minimises changes at that count of communes."""
    d, scenario = instance
    approved = solve(d, scenario)
    assume(approved.status == PlanStatus.OPTIMAL)
    end = scenario.horizon.end
    cut = {"budgets": {"scale": 0.9}}
    replan = prepare_replan(d, scenario, approved, Progress(), end, overrides=cut)
    stable = solve_replan(replan)
    fresh_scenario = replan.scenario.model_copy(
        update={"objectives": [o for o in replan.scenario.objectives if o != Objective.STABILITY]}
    )
    fresh = solve_replan(type(replan)(**{**replan.__dict__, "scenario": fresh_scenario}))
    assume(stable.feasible and fresh.feasible)
    assert stable.kpis.at_standard_after == fresh.kpis.at_standard_after
    revises = replan.scenario.revises
    assert changes(revises, stable) <= changes(revises, fresh)
    direct_scenario = replan.scenario.model_copy(
        update={
            "objectives": [Objective.STABILITY],
            "targets": {"communes_at_standard": fresh.kpis.at_standard_after},
        }
    )
    direct = solve_replan(type(replan)(**{**replan.__dict__, "scenario": direct_scenario}))
    assert changes(revises, stable) == changes(revises, direct)


# -- bad progress input --------------------------------------------------------------------------
def test_every_problem_of_a_progress_report_is_listed_at_once(tmp_path) -> None:
    approved = approved_plan()
    progress = Progress(
        items=(
            ItemProgress(investment_code="A", status="completed"),  # nothing paid: a warning
            ItemProgress(investment_code="Z", status="completed"),  # unknown item
            ItemProgress(investment_code="D", status="cancelled"),  # not in the plan
            ItemProgress(
                investment_code="B",
                status="in_progress",
                revised_cost=80,
                expected_completion_year=2031,  # outside the horizon
            ),
        ),
        disbursements=(
            Disbursement(investment_code="B", source_code="central", year=2026, amount=90),
            Disbursement(investment_code="B", source_code="nobody", year=2025, amount=1),
            Disbursement(investment_code="C", source_code="central", year=2027, amount=1),
        ),
        criteria=(
            CriterionReassessment(
                commune_code="c9", criterion_code="transport", met=True, year=2026
            ),
        ),
    )
    save_progress(progress, tmp_path / "progress")
    loaded, numbers, raw = load_progress(tmp_path / "progress")
    errors, warnings = check_progress(
        loaded, small(), approved, SCENARIO.horizon, 2027, numbers, raw
    )
    text = [str(e) for e in errors]
    expected = [
        "progress_items.csv row 3, column investment_code: unknown item 'Z'",
        "progress_items.csv row 4, column investment_code: item D is not in the plan",
        "progress_items.csv row 5, column expected_completion_year: 2031 is outside the horizon 2026-2028",
        "progress_items.csv row 5, column revised_cost: item B: 91 disbursed, more than its cost 80",
        "progress_disbursements.csv row 3, column source_code: unknown funding source 'nobody'",
        "progress_disbursements.csv row 3, column year: 2025 is outside the horizon 2026-2028",
        "progress_disbursements.csv row 4, column investment_code: item C has no row in progress_items (give its status)",
        "progress_disbursements.csv row 4, column year: 2027 is not before 2027, the first year re-planned",
        "progress_criteria.csv row 2, column commune_code: unknown commune 'c9'",
    ]  # fmt: skip
    assert sorted(text) == sorted(expected)
    assert [str(w) for w in warnings] == [
        "progress_items.csv row 2, column status: item A is completed with nothing disbursed"
    ]
    with pytest.raises(ReplanError) as raised:
        prepare_replan(small(), SCENARIO, approved, loaded, 2027, numbers=numbers, raw=raw)
    assert len(raised.value.problems) == len(expected)


def test_row_problems_of_a_progress_file_are_located(tmp_path) -> None:
    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / "progress_items.csv").write_text(
        "investment_code,status,revised_cost\nA,done,\nB,in_progress,-5\n", encoding="utf-8"
    )
    (folder / "progress_criteria.csv").write_text(
        "commune_code,criterion_code,met,gap,year\nc1,transport,false,0,2026\n", encoding="utf-8"
    )
    (folder / "notes.csv").write_text("x\n1\n", encoding="utf-8")
    with pytest.raises(ProgressFileError) as raised:
        load_progress(folder)
    text = "\n".join(str(p) for p in raised.value.problems)
    assert "notes.csv: unknown table" in text
    assert "progress_items.csv row 2, column status: 'done' is not valid" in text
    assert "progress_items.csv row 3: revised_cost -5 must be greater than 0" in text
    assert "progress_criteria.csv row 2: gap is 0 but met is false" in text


def test_a_progress_workbook_round_trips(tmp_path) -> None:
    progress = Progress(
        items=(ItemProgress(investment_code="B", status="in_progress", revised_cost=95),),
        disbursements=(
            Disbursement(investment_code="B", source_code="central", year=2026, amount=40),
        ),
    )
    path = save_progress(progress, tmp_path / "progress.xlsx")
    assert load_progress(path)[0] == progress


def test_a_from_year_outside_the_horizon_is_refused() -> None:
    with pytest.raises(ReplanError, match="is not a year after the first"):
        prepare_replan(small(), SCENARIO, approved_plan(), Progress(), 2026)


def test_the_scenarios_own_commitments_carry_into_the_replan() -> None:
    """The approved scenario committed A (2026, now done) and C (2028): the re-plan keeps C
    committed in 2028, drops the past commitment of A and commits B, under way."""
    scenario = SCENARIO.model_copy(
        update={
            "policies": {
                "committed": [
                    {"investment": "A", "start_year": 2026},
                    {"investment": "C", "start_year": 2028},
                ],
                "forced_out": ["D"],
            }
        }
    )
    approved = solve(small(), scenario)
    replan = prepare_replan(small(), scenario, approved, Progress(), 2027)
    committed = {(c.investment, c.start_year) for c in replan.scenario.policies.committed}
    assert committed == {("B", 2027), ("C", 2028)}
    assert starts(solve_replan(replan)) == {"B": 2027, "C": 2028}


def test_unreadable_rows_and_cross_checks_are_listed_together(tmp_path) -> None:
    """A row that cannot be read and a row that does not fit the plan are both listed; the
    disbursement of the unread item is not also said to lack a status row."""
    from models.io.progress_io import read_progress

    folder = tmp_path / "progress"
    folder.mkdir()
    (folder / "progress_items.csv").write_text(
        "investment_code,status\nA,done\nZ,completed\n", encoding="utf-8"
    )
    (folder / "progress_disbursements.csv").write_text(
        "investment_code,source_code,year,amount\nA,central,2026,100\n", encoding="utf-8"
    )
    read = read_progress(folder)
    with pytest.raises(ReplanError) as raised:
        prepare_replan(
            small(), SCENARIO, approved_plan(), read.progress, 2027,
            numbers=read.numbers, raw=read.raw,
            read_problems=read.problems, refused_items=read.refused_items,
        )  # fmt: skip
    text = [str(p) for p in raised.value.problems]
    assert len(text) == 2
    assert text[0].startswith("progress_items.csv row 2, column status: 'done' is not valid")
    assert text[1] == "progress_items.csv row 3, column investment_code: unknown item 'Z'"
