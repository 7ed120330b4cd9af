"""The domain models: every field rule and every cross-table rule says what is wrong, and where."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from models import (
    Budget,
    Commune,
    CommuneFlag,
    CriteriaSet,
    Criterion,
    CriterionKind,
    CriterionStatus,
    Dataset,
    DatasetError,
    DatasetInfo,
    Effect,
    FundingSource,
    Investment,
    InvestmentKind,
    NtmLevel,
    Problem,
    Region,
    UnitType,
    builtin_criteria_set,
    builtin_set_codes,
)

MONEY_TOLERANCE = 1e-9
"""Million VND; yearly costs are exact divisions of whole amounts."""

CRITERION = {
    "code": "transport",
    "number": 2,
    "name_vi": "Giao thông",
    "name_en": "Transport",
    "group": "II. Hạ tầng kinh tế - xã hội",
    "kind": "infrastructure",
    "unit": "km",
}
COMMUNE = {
    "code": "03994",
    "name": "Xã Chiềng Mai",
    "region": "III",
    "population": 5300,
    "households": 1180,
    "poverty_rate": 0.2166,
}
INVESTMENT = {
    "code": "INV0001",
    "name": "Đường bê tông bản Phiêng Ngùa (3 km)",
    "kind": "infrastructure",
    "category": "road",
    "cost": 4500,
}
SOURCE = {"code": "central", "name_vi": "Ngân sách trung ương", "name_en": "Central budget"}


def errors_of(model: type[BaseModel], values: dict[str, Any]) -> dict[str, str]:
    """Validate ``values`` expecting failure; field (or '' for a whole-row rule) → message."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(values)
    return {
        ".".join(str(part) for part in e["loc"]): e["msg"].removeprefix("Value error, ")
        for e in caught.value.errors()
    }


def problems_of(dataset: Dataset, **changes: Any) -> list[Problem]:
    """Cross-table problems of ``dataset`` with the fields in ``changes`` replaced, each with its
    message in English (``english_problem``), as a planner reads them on the command line."""
    fields = {name: getattr(dataset, name) for name in Dataset.model_fields}
    with pytest.raises(DatasetError) as caught:
        Dataset(**(fields | changes))
    return [english_problem(p) for p in caught.value.problems]


def english_problem(problem: Problem) -> Problem:
    """``problem`` with its message (a catalogue code and values) as its English text."""
    return replace(problem, message=str(problem.message))  # type: ignore[arg-type]


# -- criteria --------------------------------------------------------------------------------------
def test_criterion_reads_its_fields():
    criterion = Criterion.model_validate(CRITERION | {"number": "2", "name_vi": "  Giao thông "})
    assert criterion.number == 2
    assert criterion.name_vi == "Giao thông"
    assert criterion.kind is CriterionKind.INFRASTRUCTURE


def test_criterion_rejects_bad_values_each_with_its_reason():
    errors = errors_of(
        Criterion,
        CRITERION | {"code": "Giao-thông", "number": 0, "name_en": " ", "kind": "roads"},
    )
    assert errors == {
        "code": "'Giao-thông' is not a code: use lower-case letters, digits and _ only",
        "number": "Input should be greater than or equal to 1",
        "name_en": "is empty",
        "kind": "Input should be 'infrastructure', 'livelihood', 'social' or 'governance'",
    }


def test_criterion_forbids_unknown_fields_and_missing_ones():
    errors = errors_of(Criterion, {k: v for k, v in CRITERION.items() if k != "unit"} | {"u": 1})
    assert errors == {"unit": "Field required", "u": "Extra inputs are not permitted"}


def test_criteria_set_lookups_follow_the_given_order():
    second = Criterion.model_validate(CRITERION | {"code": "planning", "number": 1})
    first = Criterion.model_validate(CRITERION)
    criteria = CriteriaSet(code="son_la_variant", criteria=(first, second))
    assert criteria.size == 2
    assert criteria.codes == ("transport", "planning")
    assert criteria.by_code["planning"] is second


def test_criteria_set_rejects_repeated_codes_and_numbers():
    a = Criterion.model_validate(CRITERION)
    b = Criterion.model_validate(CRITERION | {"code": "irrigation"})
    c = Criterion.model_validate(CRITERION | {"number": 3})
    assert errors_of(CriteriaSet, {"code": "x", "criteria": (a, b)}) == {
        "": "criterion number repeated: 2"
    }
    assert errors_of(CriteriaSet, {"code": "x", "criteria": (a, c)}) == {
        "": "criterion code repeated: transport"
    }


def test_criteria_set_needs_at_least_one_criterion_and_a_code():
    errors = errors_of(CriteriaSet, {"code": "NTM 2021", "criteria": ()})
    assert errors == {
        "code": "'NTM 2021' is not a code: use lower-case letters, digits and _ only",
        "criteria": "Tuple should have at least 1 item after validation, not 0",
    }


def test_builtin_2021_2025_set_has_the_19_official_criteria():
    assert "ntm_2021_2025" in builtin_set_codes()
    criteria = builtin_criteria_set("ntm_2021_2025")
    assert criteria.code == "ntm_2021_2025"
    assert [c.number for c in criteria.criteria] == list(range(1, 20))
    assert criteria.by_code["transport"].name_vi == "Giao thông"
    assert criteria.by_code["transport"].unit == "km"
    assert criteria.by_code["income"].kind is CriterionKind.LIVELIHOOD


def test_unknown_builtin_set_names_the_available_ones():
    with pytest.raises(
        KeyError, match=r"no built-in criteria set 'ntm_1999'; built in: .*ntm_2021_2025"
    ):
        builtin_criteria_set("ntm_1999")


# -- communes and their status -------------------------------------------------------------------
def test_commune_defaults_and_derived_values():
    commune = Commune.model_validate(COMMUNE)
    assert commune.unit_type is UnitType.COMMUNE
    assert commune.ntm_level is NtmLevel.NONE
    assert commune.district is None
    assert commune.income_per_capita is None
    assert commune.flags == frozenset()
    assert commune.poor_households == 256  # 0.2166 × 1180 = 255.6


def test_commune_code_keeps_the_leading_zero_excel_drops():
    assert Commune.model_validate(COMMUNE | {"code": 3994}).code == "03994"
    assert Commune.model_validate(COMMUNE | {"code": " 3994 "}).code == "03994"
    assert Commune.model_validate(COMMUNE | {"code": "123456"}).code == "123456"


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("Có", True), ("x", True),
     ("false", False), ("0", False), ("no", False), ("không", False), ("", False), (None, False)],
)  # fmt: skip
def test_flags_accept_the_documented_yes_no_words(text, value):
    assert Commune.model_validate(COMMUNE | {"border": text}).border is value


def test_commune_flags_collect_the_policy_flags_it_carries():
    commune = Commune.model_validate(
        COMMUNE | {"border": "true", "atk": "false", "extremely_difficult": "có"}
    )
    assert commune.flags == {CommuneFlag.BORDER, CommuneFlag.EXTREMELY_DIFFICULT}


def test_commune_rejects_bad_values_each_with_its_reason():
    errors = errors_of(
        Commune,
        COMMUNE
        | {
            "code": "",
            "name": "",
            "region": "IV",
            "population": -1,
            "households": "nhiều",
            "poverty_rate": 1.4,
            "income_per_capita": -2.5,
            "ntm_level": "advanced+",
            "unit_type": "town",
            "border": "maybe",
            "difficult_villages": 1.5,
        },
    )
    assert errors == {
        "code": "is empty",
        "name": "is empty",
        "region": "Input should be 'I', 'II' or 'III'",
        "population": "-1 is negative; it must be 0 or more",
        "households": "Input should be a valid integer, unable to parse string as an integer",
        "poverty_rate": "1.4 is not a fraction between 0 and 1",
        "income_per_capita": "-2.5 is negative; it must be 0 or more",
        "ntm_level": "Input should be 'none', 'standard', 'advanced' or 'model'",
        "unit_type": "Input should be 'commune' or 'ward'",
        "border": "'maybe' is not a yes/no value (write true or false)",
        "difficult_villages": "Input should be a valid integer, got a number with a fractional part",
    }


def test_commune_empty_optional_cells_mean_none():
    commune = Commune.model_validate(COMMUNE | {"district": " ", "income_per_capita": ""})
    assert commune.district is None
    assert commune.income_per_capita is None


def test_numbers_must_be_finite():
    errors = errors_of(Commune, COMMUNE | {"income_per_capita": "nan"})
    assert errors == {"income_per_capita": "Input should be a finite number"}
    errors = errors_of(CriterionStatus, {"commune_code": "1", "criterion_code": "transport", "met": "false", "gap": "inf"})  # fmt: skip
    assert errors == {"gap": "Input should be a finite number"}


def test_status_unmet_criterion_has_a_gap():
    status = CriterionStatus.model_validate(
        {"commune_code": 3994, "criterion_code": "transport", "met": "false", "gap": "4.5"}
    )
    assert (status.commune_code, status.met, status.gap, status.at_risk) == (
        "03994",
        False,
        4.5,
        False,
    )


@pytest.mark.parametrize(
    ("met", "gap", "at_risk", "message"),
    [
        ("true", "2", "false", "gap is 2 but met is true: a met criterion has gap 0"),
        ("false", "0", "false", "gap is 0 but met is false: give the remaining gap (> 0)"),
        ("false", "1", "true", "at_risk is true but met is false: only a met criterion can be at risk"),
    ],
)  # fmt: skip
def test_status_met_gap_and_at_risk_must_agree(met, gap, at_risk, message):
    values = {"commune_code": "03994", "criterion_code": "transport"}
    errors = errors_of(CriterionStatus, values | {"met": met, "gap": gap, "at_risk": at_risk})
    assert errors == {"": message}


def test_status_gap_cannot_be_negative():
    values = {"commune_code": "03994", "criterion_code": "transport", "met": "false"}
    assert errors_of(CriterionStatus, values | {"gap": "-0.5"}) == {
        "gap": "-0.5 is negative; it must be 0 or more"
    }


# -- investments and effects ---------------------------------------------------------------------
def test_investment_defaults_and_yearly_cost():
    investment = Investment.model_validate(
        INVESTMENT | {"duration_years": "3", "earliest_year": ""}
    )
    assert investment.kind is InvestmentKind.INFRASTRUCTURE
    assert investment.maintenance is False
    assert investment.earliest_year is None
    assert investment.yearly_cost == pytest.approx(1500, abs=MONEY_TOLERANCE)


def test_investment_rejects_bad_values_each_with_its_reason():
    errors = errors_of(
        Investment,
        INVESTMENT
        | {
            "code": "",
            "kind": "social",
            "category": "Đường",
            "cost": 0,
            "duration_years": 0,
            "earliest_year": "sớm",
        },
    )
    assert errors == {
        "code": "is empty",
        "kind": "Input should be 'infrastructure' or 'livelihood'",
        "category": "'Đường' is not a code: use lower-case letters, digits and _ only",
        "cost": "0 must be greater than 0",
        "duration_years": "Input should be greater than or equal to 1",
        "earliest_year": "Input should be a valid integer, unable to parse string as an integer",
    }


def test_money_is_whole_million_vnd():
    assert errors_of(Investment, INVESTMENT | {"cost": "4500.5"}) == {
        "cost": "Input should be a valid integer, unable to parse string as an integer"
    }
    assert errors_of(Investment, INVESTMENT | {"cost": -12_500_000}) == {
        "cost": "-12500000 must be greater than 0"
    }


def test_effect_amount_must_be_positive():
    values = {"investment_code": "INV0001", "commune_code": 3994, "criterion_code": "transport"}
    assert Effect.model_validate(values | {"amount": "3"}).commune_code == "03994"
    assert errors_of(Effect, values | {"amount": "0"}) == {"amount": "0 must be greater than 0"}
    assert errors_of(Effect, values | {"amount": "-1.5"}) == {
        "amount": "-1.5 must be greater than 0"
    }


# -- funding sources and budgets -----------------------------------------------------------------
def test_source_reads_semicolon_lists_and_defaults():
    source = FundingSource.model_validate(
        SOURCE
        | {
            "eligible_kinds": "infrastructure; livelihood",
            "eligible_regions": "II;III;",
            "eligible_flags": "",
            "max_poverty_rate": "",
        }
    )
    assert source.eligible_kinds == (InvestmentKind.INFRASTRUCTURE, InvestmentKind.LIVELIHOOD)
    assert source.eligible_regions == (Region.II, Region.III)
    assert source.eligible_flags == ()
    assert source.eligible_categories == ()
    assert source.max_share == 1.0
    assert source.max_poverty_rate is None


def test_source_rejects_bad_values_each_with_its_reason():
    errors = errors_of(
        FundingSource,
        SOURCE
        | {
            "code": "Central",
            "kind": "loan",
            "eligible_regions": "II;IV",
            "eligible_flags": "poor",
            "eligible_categories": "road;Value chain",
            "max_share": "1.5",
            "max_poverty_rate": "-0.1",
        },
    )
    assert errors == {
        "code": "'Central' is not a code: use lower-case letters, digits and _ only",
        "kind": "Input should be 'grant', 'credit' or 'contribution'",
        "eligible_regions.1": "Input should be 'I', 'II' or 'III'",
        "eligible_flags.0": "Input should be 'border', 'atk' or 'extremely_difficult'",
        "eligible_categories.1": "'Value chain' is not a code: use lower-case letters, digits and _ only",
        "max_share": "1.5 is not a fraction between 0 and 1",
        "max_poverty_rate": "-0.1 is not a fraction between 0 and 1",
    }


def _commune(code: str, region: str, poverty: float, **flags: bool) -> Commune:
    return Commune.model_validate(
        COMMUNE | {"code": code, "region": region, "poverty_rate": poverty, **flags}
    )


def _investment(kind: str, category: str) -> Investment:
    return Investment.model_validate(INVESTMENT | {"kind": kind, "category": category})


def test_unrestricted_source_pays_for_anything_anywhere():
    source = FundingSource.model_validate(SOURCE)
    poorest = _commune("00001", "III", 0.9)
    assert source.may_pay_for(_investment("livelihood", "livestock"), [poorest])
    assert source.may_pay_in(poorest)


def test_source_pays_only_for_eligible_kinds_and_categories():
    source = FundingSource.model_validate(
        SOURCE | {"eligible_kinds": "livelihood", "eligible_categories": "livestock;value_chain"}
    )
    commune = _commune("00001", "II", 0.1)
    assert source.may_pay_for(_investment("livelihood", "livestock"), [commune])
    assert not source.may_pay_for(_investment("livelihood", "training"), [commune])
    assert not source.may_pay_for(_investment("infrastructure", "livestock"), [commune])


def test_source_pays_only_where_every_served_commune_passes_region_flag_and_poverty():
    source = FundingSource.model_validate(
        SOURCE
        | {
            "eligible_regions": "II;III",
            "eligible_flags": "border;extremely_difficult",
            "max_poverty_rate": "0.3",
        }
    )
    border = _commune("00001", "III", 0.25, border=True)
    difficult = _commune("00002", "II", 0.3, extremely_difficult=True)  # at the cap: allowed
    region_one = _commune("00003", "I", 0.1, border=True)
    no_flag = _commune("00004", "III", 0.1, atk=True)
    too_poor = _commune("00005", "III", 0.31, border=True)
    road = _investment("infrastructure", "road")

    assert [source.may_pay_in(c) for c in (border, difficult, region_one, no_flag, too_poor)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert source.may_pay_for(road, [border, difficult])
    assert not source.may_pay_for(road, [border, region_one])
    assert not source.may_pay_for(road, [too_poor, difficult])


def test_budget_rules():
    assert (
        Budget.model_validate({"source_code": "central", "year": "2022", "amount": "0"}).amount == 0
    )
    errors = errors_of(Budget, {"source_code": "Trung ương", "year": 1800, "amount": -5})
    assert errors == {
        "source_code": "'Trung ương' is not a code: use lower-case letters, digits and _ only",
        "year": "Input should be greater than or equal to 1900",
        "amount": "-5 is negative; it must be 0 or more",
    }
    assert errors_of(Budget, {"source_code": "central", "year": 2022, "amount": -1_000_000}) == {
        "amount": "-1000000 is negative; it must be 0 or more"
    }


def test_dataset_info_rules():
    info = DatasetInfo.model_validate(
        {"name": "Sơn La 2021", "province": "Sơn La", "base_year": "2021", "criteria_set": "ntm_2021_2025", "source": ""}
    )  # fmt: skip
    assert (info.base_year, info.description, info.source) == (2021, None, None)
    errors = errors_of(DatasetInfo, {"name": "", "base_year": "năm 2021", "criteria_set": "NTM"})
    assert errors == {
        "name": "is empty",
        "province": "Field required",
        "base_year": "Input should be a valid integer, unable to parse string as an integer",
        "criteria_set": "'NTM' is not a code: use lower-case letters, digits and _ only",
    }


# -- immutability --------------------------------------------------------------------------------
def test_models_are_frozen(dataset):
    with pytest.raises(ValidationError, match="Instance is frozen"):
        dataset.communes[0].poverty_rate = 0.1
    with pytest.raises(ValidationError, match="Instance is frozen"):
        dataset.communes = ()
    with pytest.raises(ValidationError, match="Instance is frozen"):
        dataset.sources[0].max_share = 0.2
    with pytest.raises(ValidationError, match="Instance is frozen"):
        dataset.criteria.criteria[0].name_vi = "Quy hoạch mới"
    with pytest.raises(ValidationError, match="Instance is frozen"):
        dataset.info.base_year = 2025
    assert isinstance(dataset.communes, tuple)
    assert isinstance(dataset.sources[0].eligible_regions, tuple)


def test_equality_ignores_computed_lookups(dataset, make_dataset):
    dataset.commune_by_code  # noqa: B018 - fills a cached lookup
    dataset.criteria.by_code  # noqa: B018
    assert dataset == make_dataset()


# -- the dataset and its cross-table rules -------------------------------------------------------
def test_dataset_lookups(dataset):
    assert dataset.commune_by_code["03994"].name == "Xã Chiềng Mai"
    assert dataset.investment_by_code["INV0003"].kind is InvestmentKind.LIVELIHOOD
    assert dataset.source_by_code["vbsp"].max_poverty_rate == 0.3
    assert dataset.status_by_key[("04000", "housing")].gap == 35.0
    assert [c.code for c in dataset.served_communes("INV0001")] == ["03994", "04000"]
    assert dataset.served_communes("INV9999") == ()
    assert [e.criterion_code for e in dataset.effects_by_investment["INV0001"]] == [
        "transport",
        "transport",
    ]
    assert dataset.criteria_met == {"03994": 16, "04000": 17, "03646": 19}
    assert [dataset.at_standard(c.code) for c in dataset.communes] == [False, False, True]
    assert dataset.years == (2022, 2023, 2024)


def test_fixture_sources_apply_their_rules_to_the_fixture_items(dataset):
    central, province, vbsp = dataset.sources
    road, canal, cattle, power = dataset.investments
    served = dataset.served_communes
    assert [central.may_pay_for(i, served(i.code)) for i in (road, canal, cattle, power)] == [
        True,  # infrastructure in regions III and II
        True,
        False,  # livelihood
        True,
    ]
    assert province.may_pay_for(cattle, served(cattle.code))
    assert vbsp.may_pay_for(cattle, served(cattle.code))  # livestock, extremely difficult, 21.66 %
    assert not vbsp.may_pay_for(road, served(road.code))


def test_dataset_error_lists_every_problem_with_its_place(dataset):
    fields = {name: getattr(dataset, name) for name in Dataset.model_fields}
    extra = Budget(source_code="odf", year=2022, amount=1)
    with pytest.raises(DatasetError) as caught:
        Dataset(**(fields | {"budgets": (*dataset.budgets, extra)}))
    assert str(caught.value) == (
        "1 problem(s) in the dataset:\n- budgets[6].source_code: unknown funding source 'odf'"
    )


def test_unknown_commune_and_criterion_in_status(dataset):
    extra = (
        CriterionStatus(commune_code="09999", criterion_code="transport", met=True),
        CriterionStatus(commune_code="03994", criterion_code="roads", met=True),
    )
    assert problems_of(dataset, status=(*dataset.status, *extra)) == [
        Problem("criteria_status", 57, "commune_code", "unknown commune '09999'"),
        Problem(
            "criteria_status",
            58,
            "criterion_code",
            "unknown criterion (not in set ntm_2021_2025) 'roads'",
        ),
    ]


def test_unknown_investment_commune_and_criterion_in_effects(dataset):
    extra = (
        Effect(investment_code="INV0009", commune_code="03994", criterion_code="transport", amount=1),
        Effect(investment_code="INV0001", commune_code="04001", criterion_code="transport", amount=1),
        Effect(investment_code="INV0001", commune_code="03994", criterion_code="bridges", amount=1),
    )  # fmt: skip
    assert problems_of(dataset, effects=(*dataset.effects, *extra)) == [
        Problem("investment_effects", 5, "investment_code", "unknown investment 'INV0009'"),
        Problem("investment_effects", 6, "commune_code", "unknown commune '04001'"),
        Problem(
            "investment_effects",
            7,
            "criterion_code",
            "unknown criterion (not in set ntm_2021_2025) 'bridges'",
        ),
    ]


def test_unknown_source_in_budgets(dataset):
    extra = Budget(source_code="oda", year=2023, amount=100)
    assert problems_of(dataset, budgets=(*dataset.budgets, extra)) == [
        Problem("budgets", 6, "source_code", "unknown funding source 'oda'")
    ]


def test_repeated_commune_code(dataset):
    twin = dataset.communes[1].model_copy(update={"name": "Xã Mường Bú (bản sao)"})
    assert problems_of(dataset, communes=(*dataset.communes, twin)) == [
        Problem("communes", 3, "code", "commune code 04000 repeats", repeats=1)
    ]
    assert str(problems_of(dataset, communes=(*dataset.communes, twin))[0]) == (
        "communes[3].code: commune code 04000 repeats communes[1]"
    )


def test_repeated_investment_and_source_codes(dataset):
    assert problems_of(dataset, investments=(*dataset.investments, dataset.investments[0])) == [
        Problem("investments", 4, "code", "investment code INV0001 repeats", repeats=0)
    ]
    assert problems_of(dataset, sources=(dataset.sources[2], *dataset.sources)) == [
        Problem("funding_sources", 3, "code", "source code vbsp repeats", repeats=0)
    ]


def test_repeated_status_effect_and_budget_keys(dataset):
    status = dataset.status_by_key[("04000", "transport")]
    effect = dataset.effects[1]
    budget = Budget(source_code="central", year=2023, amount=1)
    assert problems_of(
        dataset,
        status=(*dataset.status, status),
        effects=(*dataset.effects, effect),
        budgets=(*dataset.budgets, budget),
    ) == [
        Problem(
            "criteria_status",
            57,
            "criterion_code",
            "commune 04000 criterion transport repeats",
            repeats=20,
        ),
        Problem(
            "investment_effects",
            5,
            "criterion_code",
            "investment INV0001 commune 04000 criterion transport repeats",
            repeats=1,
        ),
        Problem("budgets", 6, "year", "source central year 2023 repeats", repeats=1),
    ]


def test_every_commune_needs_a_status_row_for_every_criterion(dataset):
    kept = tuple(
        s
        for s in dataset.status
        if (s.commune_code, s.criterion_code) not in {("04000", "health"), ("04000", "defence")}
    )
    assert problems_of(dataset, status=kept) == [
        Problem(
            "communes", 1, "code", "commune 04000 has no criteria_status row for: health, defence"
        )
    ]


def test_commune_at_standard_must_meet_every_criterion(dataset):
    advanced = dataset.communes[1].model_copy(update={"ntm_level": NtmLevel.ADVANCED})
    assert problems_of(dataset, communes=(dataset.communes[0], advanced, dataset.communes[2])) == [
        Problem("communes", 1, "ntm_level", "advanced but criteria not met: transport, housing")
    ]


def test_every_investment_needs_an_effect(dataset):
    effects = tuple(e for e in dataset.effects if e.investment_code != "INV0002")
    assert problems_of(dataset, effects=effects) == [
        Problem("investments", 1, "code", "investment INV0002 has no effect: it closes no gap")
    ]


def test_criteria_set_code_must_match_the_info(dataset):
    info = dataset.info.model_copy(update={"criteria_set": "ntm_2026_2030"})
    assert problems_of(dataset, info=info) == [
        Problem(
            "dataset",
            None,
            "criteria_set",
            "names set 'ntm_2026_2030' but the criteria given are set 'ntm_2021_2025'",
        )
    ]


def test_all_cross_table_problems_are_reported_together(dataset):
    problems = problems_of(
        dataset,
        investments=(*dataset.investments, dataset.investments[3]),
        budgets=(*dataset.budgets, Budget(source_code="oda", year=2023, amount=100)),
        status=dataset.status[1:],
    )
    assert [str(p) for p in problems] == [
        "investments[4].code: investment code INV0004 repeats investments[3]",
        "communes[0].code: commune 03994 has no criteria_status row for: planning",
        "budgets[6].source_code: unknown funding source 'oda'",
    ]


def test_changed_copy_is_validated_and_has_fresh_lookups(dataset) -> None:
    """A copy with changes is a new validated object: lookups used on the original are not
    carried over, and a change that breaks a rule is rejected."""
    assert len(dataset.commune_by_code) == len(dataset.communes)  # fill a cached lookup
    fewer = dataset.model_copy(update={"budgets": dataset.budgets[:1]})
    assert fewer.years == (dataset.budgets[0].year,)
    with pytest.raises(DatasetError):
        dataset.model_copy(update={"communes": dataset.communes[:1]})
