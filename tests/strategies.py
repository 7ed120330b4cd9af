"""Hypothesis strategies: small random datasets and scenarios for property tests.

``datasets()`` draws a valid Dataset with 3-6 communes (now and then a ward), a custom set of 2-3
criteria, 4-10 items (some shared by several communes, some maintenance items for at-risk
criteria, some lasting two years or not startable in the first year), two funding sources with
eligibility rules and share caps, and budgets for 1-2 years from ``FIRST_YEAR``.
``scenarios(dataset)`` draws a scenario on it (single period or yearly, with or without
carry-over, maybe a disbursement rate, maybe one item forced out, maybe wards counted);
``instances()`` draws both.

    @given(instance=instances())
    def test_something(instance):
        dataset, scenario = instance
"""

from __future__ import annotations

from hypothesis import strategies as st

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
)
from models.scenario import Scenario

FIRST_YEAR = 2026
CRITERIA = (
    ("transport", "infrastructure", "road"),
    ("irrigation", "infrastructure", "irrigation"),
    ("income", "livelihood", "livestock"),
)
"""Criterion code, kind, and the category of the items that close it."""
GAPS = (1.0, 2.0, 3.0, 4.5)
AMOUNTS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.5)
MAINTENANCE_AMOUNTS = (0.5, 1.0, 2.0)
"""What a maintenance item's effect says (the size of the work, in the criterion's unit)."""


def criteria_set(size: int) -> CriteriaSet:
    return CriteriaSet(
        code="random_set",
        criteria=tuple(
            Criterion(
                code=code,
                number=n,
                name_vi=f"Tiêu chí {code}",
                name_en=code.title(),
                group="test",
                kind=kind,
                unit="unit",
            )
            for n, (code, kind, _category) in enumerate(CRITERIA[:size], start=1)
        ),
    )


@st.composite
def communes(draw: st.DrawFn, count: int) -> tuple[Commune, ...]:
    rows = []
    for n in range(count):
        rows.append(
            Commune(
                code=f"{90001 + n:05d}",
                name=f"Xã Thử {n + 1}",
                district=draw(st.sampled_from(["Huyện A", "Huyện B"])),
                unit_type=draw(st.sampled_from(["commune"] * 5 + ["ward"])),
                region=draw(st.sampled_from(["I", "II", "III"])),
                population=1000,
                households=250,
                poverty_rate=draw(st.sampled_from([0.05, 0.12, 0.2, 0.3])),
                border=draw(st.booleans()),
                atk=draw(st.booleans()),
                extremely_difficult=draw(st.booleans()),
                difficult_villages=draw(st.integers(0, 6)),
            )
        )
    return tuple(rows)


def _sources(draw: st.DrawFn) -> tuple[FundingSource, ...]:
    """A general source (maybe infrastructure only or Region II/III only) and a targeted one
    (maybe livelihood only, flagged communes only, poorer communes excluded, share-capped)."""
    return (
        FundingSource(
            code="central",
            name_vi="Ngân sách trung ương",
            name_en="Central budget",
            eligible_kinds=draw(st.sampled_from([(), (), ("infrastructure",)])),
            eligible_regions=draw(st.sampled_from([(), (), ("II", "III")])),
        ),
        FundingSource(
            code="support",
            name_vi="Vốn lồng ghép",
            name_en="Integrated programme",
            eligible_kinds=draw(st.sampled_from([(), ("livelihood",)])),
            eligible_flags=draw(st.sampled_from([(), ("extremely_difficult", "border")])),
            max_share=draw(st.sampled_from([1.0, 0.5])),
            max_poverty_rate=draw(st.sampled_from([None, 0.25])),
        ),
    )


@st.composite
def datasets(
    draw: st.DrawFn,
    min_communes: int = 3,
    max_communes: int = 6,
    min_items: int = 4,
    max_items: int = 10,
) -> Dataset:
    """A small valid dataset; items mostly target open criteria so that plans have choices."""
    cset = criteria_set(draw(st.integers(2, 3)))
    units = draw(communes(draw(st.integers(min_communes, max_communes))))
    codes = [c.code for c in units]
    status, met_all = [], {}
    for commune in codes:
        rows = []
        for k in cset.codes:
            met = draw(st.booleans())
            at_risk = met and draw(st.integers(0, 3)) == 0
            gap = 0.0 if met else draw(st.sampled_from(GAPS))
            rows.append(
                CriterionStatus(
                    commune_code=commune, criterion_code=k, met=met, gap=gap, at_risk=at_risk
                )
            )
        status += rows
        met_all[commune] = all(r.met for r in rows)
    units = tuple(
        c.model_copy(update={"ntm_level": "standard"})
        if met_all[c.code] and draw(st.booleans())
        else c
        for c in units
    )
    open_pairs = [(s.commune_code, s.criterion_code) for s in status if not s.met or s.at_risk]
    all_pairs = [(s.commune_code, s.criterion_code) for s in status]
    at_risk = {(s.commune_code, s.criterion_code) for s in status if s.at_risk}
    categories = {code: category for code, _kind, category in CRITERIA}
    kinds = {code: kind for code, kind, _category in CRITERIA}

    investments, effects = [], []
    for n in range(draw(st.integers(min_items, max_items))):
        code = f"I{n + 1:02d}"
        commune, criterion = draw(st.sampled_from(open_pairs or all_pairs))
        maintenance = (commune, criterion) in at_risk
        served = [commune]
        if not maintenance:
            others = [c for c in codes if c != commune]
            served += draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
        investments.append(
            Investment(
                code=code,
                name=f"Hạng mục {code}",
                kind=kinds[criterion],
                category=categories[criterion],
                cost=draw(st.integers(2, 60)) * 50,
                duration_years=draw(st.integers(1, 2)),
                maintenance=maintenance,
                earliest_year=draw(st.sampled_from([None, None, None, FIRST_YEAR + 1])),
            )
        )
        for c in served:
            amounts = MAINTENANCE_AMOUNTS if maintenance else AMOUNTS
            effects.append(
                Effect(
                    investment_code=code,
                    commune_code=c,
                    criterion_code=criterion,
                    amount=draw(st.sampled_from(amounts)),
                )
            )

    sources = _sources(draw)
    years = range(FIRST_YEAR, FIRST_YEAR + draw(st.integers(1, 2)))
    budgets = tuple(
        Budget(source_code=s.code, year=y, amount=draw(st.integers(0, 40)) * 100)
        for s in sources
        for y in years
    )
    return Dataset(
        info=DatasetInfo(
            name="random", province="Test", base_year=FIRST_YEAR - 1, criteria_set=cset.code
        ),
        criteria=cset,
        communes=units,
        status=tuple(status),
        investments=tuple(investments),
        effects=tuple(effects),
        sources=sources,
        budgets=budgets,
    )


@st.composite
def scenarios(draw: st.DrawFn, dataset: Dataset) -> Scenario:
    """A scenario over the dataset's budget years: single period or yearly, carry-over or not,
    maybe a disbursement rate, maybe one item forced out, maybe wards counted."""
    years = dataset.years
    items = [i.code for i in dataset.investments]
    forced_out = draw(st.sampled_from([(), (), (draw(st.sampled_from(items)),)]))
    return Scenario(
        name="random",
        horizon={
            "start": years[0],
            "end": years[-1],
            "single_period": draw(st.booleans()),
        },
        budgets={
            "carry_over": draw(st.booleans()),
            "disbursement_rate": draw(st.sampled_from([None, None, 0.6])),
        },
        policies={"forced_out": forced_out, "include_wards": draw(st.booleans())},
    )


@st.composite
def instances(draw: st.DrawFn) -> tuple[Dataset, Scenario]:
    """A random dataset and a scenario on it."""
    dataset = draw(datasets())
    return dataset, draw(scenarios(dataset))
