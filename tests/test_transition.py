"""The cycle transition (models.transition, models.transition_io): each rule on a hand-made case.

Old set ``tiny_3`` (transport, income, culture) → new set ``tiny_new``: infrastructure ← transport,
livelihood ← income + culture, digital ← nothing (new content only). Communes A, B, C (00001-00003)
merge into 90001; D (00004) alone becomes 90002; ward 90003 is formed only from a town the old
package does not cover (00009), so its record comes from the transition.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models import (
    Budget,
    Commune,
    CriteriaSet,
    Criterion,
    CriterionStatus,
    Dataset,
    DatasetInfo,
    Effect,
    FundingSource,
    Investment,
    Mapping,
    MappingRow,
)
from models.commune import NtmLevel, UnitType
from models.transition import (
    DROPPED_ITEMS,
    DROPPED_MAINTENANCE,
    DROPPED_NOT_CARRIED,
    Assessment,
    CommuneProgress,
    Correspondence,
    Transition,
    TransitionError,
    transition_dataset,
)
from models.transition_io import load_transition, save_transition

REPO = Path(__file__).resolve().parents[1]
SON_LA_TRANSITION = REPO / "data" / "transitions" / "son_la_2021_2026"
TOLERANCE = 1e-9
A, B, C, D, TOWN = "00001", "00002", "00003", "00004", "00009"
ABC, DD, WARD = "90001", "90002", "90003"


def criteria(code: str, names: tuple[str, ...]) -> CriteriaSet:
    return CriteriaSet(
        code=code,
        criteria=tuple(
            Criterion(code=k, number=n, name_vi=k, name_en=k, group="g", kind="social", unit="u")
            for n, k in enumerate(names, start=1)
        ),
    )


OLD_SET = criteria("tiny_3", ("transport", "income", "culture"))
NEW_SET = criteria("tiny_new", ("infrastructure", "livelihood", "digital"))
FEEDS = (("transport", "infrastructure"), ("income", "livelihood"), ("culture", "livelihood"))
MAPPING = Mapping(
    rows=tuple(
        MappingRow(
            old_code=old,
            old_name=f"Xã {old}",
            new_code=new,
            new_name=f"Xã {new}" if new != WARD else "Phường Ba",
            new_unit_type="ward" if new == WARD else "commune",
            may_be_absent=old == TOWN,
        )
        for old, new in ((A, ABC), (B, ABC), (C, ABC), (D, DD), (TOWN, WARD))
    )
)


def commune(code: str, **changes) -> Commune:
    values = {
        "code": code,
        "name": f"Xã {code}",
        "region": "II",
        "population": 1_000,
        "households": 250,
        "poverty_rate": 0.1,
        "income_per_capita": 40.0,
    }
    return Commune(**(values | changes))


def status(code: str, k: str, gap: float = 0.0, at_risk: bool = False) -> CriterionStatus:
    return CriterionStatus(
        commune_code=code, criterion_code=k, met=gap == 0, gap=gap, at_risk=at_risk
    )


def item(code: str, cost: int = 100, **changes) -> Investment:
    values = {"code": code, "name": code, "kind": "infrastructure", "category": "road"}
    return Investment(**(values | {"cost": cost} | changes))


def effect(item_code: str, unit: str, k: str, amount: float) -> Effect:
    return Effect(investment_code=item_code, commune_code=unit, criterion_code=k, amount=amount)


def old_dataset(
    gaps: dict[tuple[str, str], float],
    *,
    at_risk: tuple[tuple[str, str], ...] = (),
    investments: tuple[Investment, ...] = (),
    effects: tuple[Effect, ...] = (),
    **communes: Commune,
) -> Dataset:
    units = [communes.get(code, commune(code)) for code in (A, B, C, D)]
    return Dataset(
        info=DatasetInfo(name="old", province="Sơn La", base_year=2021, criteria_set="tiny_3"),
        criteria=OLD_SET,
        communes=tuple(units),
        status=tuple(
            status(c.code, k, gaps.get((c.code, k), 0.0), (c.code, k) in at_risk)
            for c in units
            for k in OLD_SET.codes
        ),
        investments=investments,
        effects=effects,
        sources=(FundingSource(code="old", name_vi="Cũ", name_en="Old"),),
        budgets=(Budget(source_code="old", year=2021, amount=1),),
    )


def transition(**changes) -> Transition:
    values = {
        "info": DatasetInfo(name="new", province="Sơn La", base_year=2026, criteria_set="tiny_new"),
        "criteria": NEW_SET,
        "correspondence": tuple(Correspondence(old_criterion=o, new_criterion=n) for o, n in FEEDS),
        "empty_units": (
            commune(WARD, name="Phường Ba", unit_type="ward", region="I", poverty_rate=0.01234),
        ),
        "sources": (FundingSource(code="central", name_vi="TW", name_en="Central"),),
        "budgets": (Budget(source_code="central", year=2026, amount=500),),
    }
    return Transition(**(values | changes))


def run(old: Dataset, t: Transition | None = None):
    return transition_dataset(old, MAPPING, t or transition())


def gap(d: Dataset, unit: str, k: str) -> float:
    return d.status_by_key[(unit, k)].gap


# -- progress up to the merger ---------------------------------------------------------------------
def test_progress_replaces_status_and_figures_and_removes_items_of_closed_gaps() -> None:
    """A's road closed its transport gap before the merger: the road is built (removed), and 90001
    no longer carries a transport gap. D's poverty rate and level are those of the progress."""
    old = old_dataset(
        {(A, "transport"): 2.0},
        investments=(item("R1"),),
        effects=(effect("R1", A, "transport", 2.0),),
    )
    t = transition(
        status_progress=(status(A, "transport"),),
        commune_progress=(CommuneProgress(code=D, poverty_rate=0.05, ntm_level="standard"),),
    )
    result = run(old, t)
    assert result.items_done == 1 and result.carried_items == 0
    assert result.advanced.status_by_key[(A, "transport")].met
    assert result.advanced.commune_by_code[D].poverty_rate == 0.05
    assert result.advanced.commune_by_code[D].income_per_capita == 40.0  # empty: kept
    assert result.dataset.status_by_key[(ABC, "infrastructure")].met
    assert result.dataset.commune_by_code[DD].ntm_level == NtmLevel.STANDARD


def test_a_rescored_gap_scales_its_effect_and_a_shrunk_gap_the_cost() -> None:
    """D's income gap goes 4 → 1: the livelihood item closed 4 and now closes 1 (rounded up to
    10⁻⁴) for a quarter of its cost. An effect on a gap not re-scored is kept as it is."""
    old = old_dataset(
        {(D, "income"): 4.0, (D, "transport"): 3.0},
        investments=(item("L1", cost=200, kind="livelihood"), item("R1", cost=90)),
        effects=(effect("L1", D, "income", 4.0), effect("R1", D, "transport", 3.0)),
    )
    t = transition(status_progress=(status(D, "income", 1.0),))
    advanced = run(old, t).advanced
    assert advanced.investment_by_code["L1"].cost == 50
    assert advanced.effects_by_investment["L1"][0].amount == pytest.approx(1.0, abs=TOLERANCE)
    assert advanced.investment_by_code["R1"].cost == 90
    assert advanced.effects_by_investment["R1"][0].amount == 3.0


def test_an_item_scaled_down_counts_its_households_and_workers_alike() -> None:
    """D's income gap goes 20 → 0.1: goats for 109 poor households at 0.5 % of the cost are
    goats for 1 household (never 0), and a name's other numbers (km) are left as they are."""
    old = old_dataset(
        {(D, "income"): 20.0, (D, "culture"): 4.0},
        investments=(
            item("L1", cost=1898, kind="livelihood", name="Hỗ trợ dê sinh sản cho 109 hộ nghèo"),
            item("L2", cost=800, kind="livelihood", name="Đào tạo nghề cho 80 lao động, 3 km"),
        ),
        effects=(effect("L1", D, "income", 20.0), effect("L2", D, "culture", 4.0)),
    )
    t = transition(status_progress=(status(D, "income", 0.1), status(D, "culture", 1.0)))
    advanced = run(old, t).advanced
    assert advanced.investment_by_code["L1"].name == "Hỗ trợ dê sinh sản cho 1 hộ nghèo"
    assert advanced.investment_by_code["L1"].cost == 9
    assert advanced.investment_by_code["L2"].name == "Đào tạo nghề cho 20 lao động, 3 km"


def test_a_rescored_gap_that_grew_scales_the_effect_but_not_the_cost() -> None:
    old = old_dataset(
        {(D, "income"): 2.0},
        investments=(item("L1", cost=200, kind="livelihood"),),
        effects=(effect("L1", D, "income", 2.0),),
    )
    advanced = run(old, transition(status_progress=(status(D, "income", 3.0),))).advanced
    assert advanced.investment_by_code["L1"].cost == 200
    assert advanced.effects_by_investment["L1"][0].amount == pytest.approx(3.0, abs=TOLERANCE)


# -- assessment on the new set ---------------------------------------------------------------------
def test_a_new_criterion_is_met_only_if_every_old_criterion_feeding_it_is_met_and_none_is_added() -> (
    None
):
    """90001: B misses culture, so livelihood (income + culture) is unmet with one indicator of
    gap. 90002: every old criterion met, but the assessment adds one indicator of livelihood.
    Infrastructure is met in both; digital, fed by nothing, is met where nothing is added."""
    old = old_dataset({(B, "culture"): 1.0})
    t = transition(assessment=(Assessment(new_code=DD, criterion="livelihood", gap=1),))
    new = run(old, t).dataset
    assert (gap(new, ABC, "livelihood"), gap(new, DD, "livelihood")) == (1, 1)
    assert new.status_by_key[(ABC, "infrastructure")].met
    assert new.status_by_key[(DD, "infrastructure")].met
    assert new.status_by_key[(ABC, "digital")].met


def test_each_unmet_old_criterion_is_one_indicator_and_the_assessment_adds_to_them() -> None:
    """Income (gap 7.5 in A) and culture (gap 2 in C) both unmet in 90001: 2 indicators, + 1
    added = 3, whatever the old gaps' sizes."""
    old = old_dataset({(A, "income"): 7.5, (C, "culture"): 2.0})
    t = transition(assessment=(Assessment(new_code=ABC, criterion="livelihood", gap=1),))
    assert gap(run(old, t).dataset, ABC, "livelihood") == 3


def test_an_assessment_that_supersedes_the_old_status_replaces_the_carried_gap() -> None:
    """90001's transport gap does not carry (say, a new plan supersedes the old ones): its
    infrastructure status is the assessment's alone, and the old road's effect is dropped."""
    old = old_dataset(
        {(A, "transport"): 2.0},
        investments=(item("R1"),),
        effects=(effect("R1", A, "transport", 2.0),),
    )
    met = transition(
        assessment=(Assessment(new_code=ABC, criterion="infrastructure", supersedes_old=True),)
    )
    result = run(old, met)
    assert result.dataset.status_by_key[(ABC, "infrastructure")].met
    assert result.dropped == {DROPPED_NOT_CARRIED: 1, DROPPED_ITEMS: 1}
    unmet = transition(
        assessment=(
            Assessment(new_code=ABC, criterion="infrastructure", gap=1, supersedes_old=True),
        )
    )
    assert gap(run(old, unmet).dataset, ABC, "infrastructure") == 1


def test_a_met_new_criterion_is_at_risk_if_an_old_criterion_feeding_it_is() -> None:
    old = old_dataset({}, at_risk=((A, "culture"), (D, "culture")))
    t = transition(assessment=(Assessment(new_code=DD, criterion="livelihood", gap=1),))
    new = run(old, t).dataset
    assert new.status_by_key[(ABC, "livelihood")].at_risk
    assert not new.status_by_key[(DD, "livelihood")].at_risk  # unmet: nothing to keep
    assert not new.status_by_key[(ABC, "infrastructure")].at_risk


# -- items ----------------------------------------------------------------------------------------
def test_an_old_item_closes_its_share_of_one_indicator_and_shares_add_up() -> None:
    """The road closes 1 of A's 2 km and 3 of B's 6 km: the merge makes that 4 of 90001's 8 km,
    half an indicator of infrastructure. The programme closes 1 of C's 3 culture gap (1/3,
    rounded up to 10⁻⁶) and 1 of A's 2 income gap (1/2): both feed livelihood, so they add up."""
    old = old_dataset(
        {(A, "transport"): 2.0, (B, "transport"): 6.0, (C, "culture"): 3.0, (A, "income"): 2.0},
        investments=(item("R1"), item("P1", kind="livelihood", category="training")),
        effects=(
            effect("R1", A, "transport", 1.0),
            effect("R1", B, "transport", 3.0),
            effect("P1", C, "culture", 1.0),
            effect("P1", A, "income", 1.0),
        ),
    )
    result = run(old)
    amounts = {(e.investment_code, e.criterion_code): e.amount for e in result.dataset.effects}
    assert amounts == {("R1", "infrastructure"): 0.5, ("P1", "livelihood"): 0.833334}
    assert result.carried_items == 2


def test_maintenance_closes_one_where_the_new_criterion_is_at_risk_and_is_dropped_elsewhere() -> (
    None
):
    old = old_dataset(
        {(B, "income"): 1.0},
        at_risk=((A, "transport"), (A, "culture")),
        investments=(item("M1", maintenance=True), item("M2", maintenance=True)),
        effects=(effect("M1", A, "transport", 1.0), effect("M2", A, "culture", 1.0)),
    )
    result = run(old)
    assert [(e.investment_code, e.criterion_code, e.amount) for e in result.dataset.effects] == [
        ("M1", "infrastructure", 1.0)
    ]
    assert result.dropped == {DROPPED_MAINTENANCE: 1, DROPPED_ITEMS: 1}


def test_new_items_sources_budgets_and_info_come_from_the_transition() -> None:
    old = old_dataset({})
    t = transition(
        assessment=(Assessment(new_code=DD, criterion="digital", gap=1),),
        investments=(item("NEW1", category="ict"),),
        effects=(effect("NEW1", DD, "digital", 1.0),),
    )
    result = run(old, t)
    new = result.dataset
    assert [i.code for i in new.investments] == ["NEW1"] and result.new_items == 1
    assert (new.sources, new.budgets, new.info) == (t.sources, t.budgets, t.info)
    assert new.criteria == NEW_SET


# -- units ----------------------------------------------------------------------------------------
def test_units_with_no_old_data_take_their_record_and_the_assessment_only() -> None:
    """The ward is added in code order, its rate at 4 decimals; wards are never recognised."""
    t = transition(assessment=(Assessment(new_code=WARD, criterion="digital", gap=2),))
    new = run(old_dataset({}), t).dataset
    assert [c.code for c in new.communes] == [ABC, DD, WARD]
    ward = new.commune_by_code[WARD]
    assert ward.unit_type == UnitType.WARD and ward.poverty_rate == 0.0123
    assert gap(new, WARD, "digital") == 2 and new.status_by_key[(WARD, "livelihood")].met
    assert ward.ntm_level == NtmLevel.NONE


def test_a_unit_keeps_the_merged_level_only_if_it_meets_every_new_criterion() -> None:
    parts = {code: commune(code, ntm_level="standard") for code in (A, B, C, D)}
    t = transition(assessment=(Assessment(new_code=DD, criterion="digital", gap=1),))
    new = run(old_dataset({}, **parts), t).dataset
    assert new.commune_by_code[ABC].ntm_level == NtmLevel.STANDARD
    assert new.commune_by_code[DD].ntm_level == NtmLevel.NONE


# -- problems -------------------------------------------------------------------------------------
def test_unknown_units_and_criteria_in_the_transition_are_all_listed() -> None:
    t = transition(
        status_progress=(status("00077", "transport"), status(A, "roads")),
        commune_progress=(CommuneProgress(code="00078", poverty_rate=0.1),),
        correspondence=(
            Correspondence(old_criterion="transport", new_criterion="infrastructure"),
            Correspondence(old_criterion="income", new_criterion="wellbeing"),
        ),
        assessment=(Assessment(new_code="99999", criterion="digital", gap=1),),
        empty_units=(),
    )
    with pytest.raises(TransitionError) as caught:
        run(old_dataset({}), t)
    assert caught.value.problems == [
        "progress_communes.csv row 2: commune 00078 is not in the old package",
        "progress_status.csv row 2: commune 00077 is not in the old package",
        "progress_status.csv row 3: criterion roads is not in the old set tiny_3",
        "correspondence.csv row 3: new criterion wellbeing is not in the new set tiny_new",
        "correspondence.csv: old criterion culture feeds no new criterion; give it a row",
        "assessment.csv row 2: unit 99999 is not a new unit of the mapping",
        "empty_units.csv: new unit 90003 (Phường Ba) has no part in the old package and no "
        "record; give it a row",
    ]


def test_records_of_units_that_have_old_data_and_repeated_rows_are_errors() -> None:
    t = transition(
        empty_units=(commune(ABC, name="Xã 90001"), commune(WARD, name="Phường Khác")),
        assessment=(
            Assessment(new_code=DD, criterion="digital", gap=1),
            Assessment(new_code=DD, criterion="digital", gap=2),
        ),
    )
    with pytest.raises(TransitionError) as caught:
        run(old_dataset({}), t)
    assert caught.value.problems == [
        "assessment.csv row 3: unit 90002 criterion digital repeats assessment.csv row 2",
        "empty_units.csv row 2: unit 90001 has parts in the old package; the merge makes its "
        "record",
        "empty_units.csv row 3: unit 90003 is 'Phường Khác' (commune) here but 'Phường Ba' "
        "(ward) in the mapping",
    ]


# -- the folder -----------------------------------------------------------------------------------
def test_the_son_la_transition_round_trips_through_its_folder(tmp_path: Path) -> None:
    loaded = load_transition(SON_LA_TRANSITION)
    save_transition(loaded, tmp_path / "copy")
    assert load_transition(tmp_path / "copy").model_dump() == loaded.model_dump()
    for path in SON_LA_TRANSITION.glob("*.csv"):
        assert (tmp_path / "copy" / path.name).read_bytes() == path.read_bytes(), path.name


def copy_son_la(tmp_path: Path) -> Path:
    folder = tmp_path / "transition"
    shutil.copytree(SON_LA_TRANSITION, folder)
    return folder


def test_a_malformed_cell_is_located_by_file_row_and_column(tmp_path: Path) -> None:
    folder = copy_son_la(tmp_path)
    path = folder / "progress_status.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[6] = "03658,income,false,minus three,false"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "colours.csv").write_text("a\n1\n", encoding="utf-8")
    (folder / "budgets.csv").unlink()
    with pytest.raises(TransitionError) as caught:
        load_transition(folder)
    problems = caught.value.problems
    assert any(p.startswith("colours.csv: unknown table") for p in problems)
    assert any(p.startswith("progress_status.csv row 7, column gap: ") for p in problems)
    assert "budgets.csv: table is missing" in problems


def test_unknown_and_missing_columns_are_errors(tmp_path: Path) -> None:
    folder = copy_son_la(tmp_path)
    (folder / "correspondence.csv").write_text("old,new_criterion\nplanning,planning\n")
    with pytest.raises(TransitionError) as caught:
        load_transition(folder)
    assert caught.value.problems == [
        "correspondence.csv column old: unknown column; the columns are: old_criterion, "
        "new_criterion, note",
        "correspondence.csv column old_criterion: required column missing",
    ]
