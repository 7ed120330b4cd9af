"""Build Sơn La's 2021 → 2026 transition (``data/transitions/son_la_2021_2026/``) and, from it, the
2026 data package (``data/son_la_2026/``, CSV folder).

Run from the repository root::

    python data/build_son_la_2026.py [--out FOLDER] [--transition-out FOLDER]

The 75 commune-level units of Sơn La after the 1 July 2025 reform (67 communes, 8 wards), assessed
on the 2026-2030 criteria set (``ntm_2026_2030``: 10 criteria). The script draws what is synthetic
and writes it as a *transition* (``docs/merge.md``); the package is then built from the 2021
package, the official mapping and that transition by ``models.transition.transition_dataset``, the
code ``ntm merge OLD MAPPING --transition FOLDER`` runs. What the script draws, in this order:

1. ``advance_to_2025``: progress of the synthetic 2021 package (``data/son_la_2021``) to the end of
   2025 on the 2021-2025 set — more communes at standard, some gaps closed, poverty and income
   moved to their 2025 levels (``progress_communes.csv``, ``progress_status.csv``).
2. ``empty_wards``: records of the two wards formed only from old wards and towns, which the rural
   2021 package does not cover (``empty_units.csv``).
3. ``assess_2026``: what the old criteria cannot say on the new set — new content and stricter
   thresholds (``NEW_CONTENT``), a merged commune's new general plan (``P_REPLAN``)
   (``assessment.csv``). What they can say is the correspondence ``FEEDS`` (``correspondence.csv``).
4. ``new_items``: items for the indicators drawn as unmet (``investments.csv``,
   ``investment_effects.csv``); five funding sources of the merged programme with budgets
   2026-2030 are constants (``funding_sources.csv``, ``budgets.csv``).

What is real: the 75 units' official codes, names and types, and which old units formed each.
Everything else is synthetic and calibrated to the figures in ``shared/domain.md``; the script
asserts every calibration target and prints the figures (quoted in ``data/son_la_2026/README.md``).
Rebuilding is byte-identical. Money is in million VND (triệu đồng), integers.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from models import (
    Budget,
    Commune,
    CriterionStatus,
    Dataset,
    DatasetInfo,
    Effect,
    FundingSource,
    Investment,
    builtin_criteria_set,
    load_mapping,
    merge_dataset,
)
from models.commune import NtmLevel, Region, UnitType
from models.io import load_package
from models.merge import Mapping, empty_new_units
from models.transition import (
    Assessment,
    CommuneProgress,
    Correspondence,
    Transition,
    Transitioned,
    apply_progress,
    transition_dataset,
)
from models.transition_io import save_package, save_transition

# ---------------------------------------------------------------------------------------------
# Package identity, inputs and output
# ---------------------------------------------------------------------------------------------
SEED = 20260215  # the day Decision 51/2025/QĐ-TTg came into force
DATA = Path(__file__).resolve().parent
IN_DIR = DATA / "son_la_2021"
MAPPING = DATA / "mappings" / "son_la_2025.csv"
OUT_DIR = DATA / "son_la_2026"
TRANSITION_DIR = DATA / "transitions" / "son_la_2021_2026"
BASE_YEAR = 2026
PLAN_YEARS = (2026, 2027, 2028, 2029, 2030)
OLD_SET, NEW_SET = "ntm_2021_2025", "ntm_2026_2030"
N_UNITS, N_COMMUNES, N_WARDS = 75, 67, 8

# ---------------------------------------------------------------------------------------------
# Step 1: 2021 → end of 2025 on the old set (assumptions; domain.md "where it stands")
# ---------------------------------------------------------------------------------------------
STANDARD_2025 = 75  # communes at standard at the end of 2025: 66+ reported (Dec 2024), target 83
P_CLOSE = 0.3  # chance that an unmet criterion of a commune still below standard was closed
POVERTY_2025 = 0.0789  # multidimensional poverty expected at the end of 2025 (population-weighted)
POVERTY_TOL = 0.0005
INCOME_GROWTH = 1.30  # income per capita 2021 → 2025 (about 6.8 % a year, assumption)
POVERTY_THRESHOLD = 0.13  # old-set poverty threshold, as in data/son_la_2021
INCOME_THRESHOLD_2025 = 48.0  # old-set income threshold for 2025 (Northern Mountains)
RESCORED = ("poverty", "income")  # re-assessed for every commune: listed even when unchanged

# ---------------------------------------------------------------------------------------------
# Step 3: the old → new correspondence (docs/criteria-sets.md) and what is drawn at random
# ---------------------------------------------------------------------------------------------
FEEDS = {  # new criterion ← old criteria whose status is carried into it
    "planning": ("planning",),
    "infrastructure": (
        "transport",
        "irrigation",
        "electricity",
        "schools",
        "cultural_facilities",
        "rural_commerce",
        "housing",
    ),
    "rural_economy": ("income", "production"),
    "human_resources": ("labour",),
    "culture_education_health": ("education", "health", "culture"),
    "poverty_social_security": ("poverty",),
    "digital_transformation": ("information",),
    "environment": ("environment",),
    "political_system": ("political_system",),
    "law_security": ("defence",),
}
NOTES = {  # written to correspondence.csv (the reasons are in docs/criteria-sets.md)
    "planning": "a merged commune needs a new general plan: assessment.csv supersedes the old "
    "status there",
    "schools": "uncertain: could also go to culture, education and health",
    "housing": "uncertain: may sit under poverty and social security in 2026-2030",
    "income": "the 2026-2030 income thresholds are new and stricter",
    "poverty": "partly: the 2026-2030 poverty standard and social-security indicators are new",
    "information": "partly: science and technology indicators are new",
    "environment": "partly: landscape and waste-water indicators are new",
    "political_system": "partly: old 18 carried whole; its access-to-law part belongs to "
    "law_security but the data cannot separate it",
    "defence": "partly: access to law (from old 18) is new here",
}
NEW_CONTENT = {  # chance that indicators new in 2026-2030 (or stricter thresholds) are unmet
    "planning": 0.0,  # merged units: P_REPLAN instead
    "infrastructure": 0.15,
    "rural_economy": 0.20,
    "human_resources": 0.15,
    "culture_education_health": 0.10,
    "poverty_social_security": 0.20,  # new poverty standard 2026-2030, social-security indicators
    "digital_transformation": 0.35,  # science, technology and digital transformation are new
    "environment": 0.25,  # rural landscape, waste and waste-water treatment
    "political_system": 0.15,  # public-administration service
    "law_security": 0.08,  # the access-to-law part of old criterion 18
}
REGION_FACTOR = {"I": 0.6, "II": 1.0, "III": 1.3}  # remote units miss new indicators more often
P_REPLAN = 0.8  # a merged unit still needs its new general plan (quy hoạch chung xã)

# ---------------------------------------------------------------------------------------------
# Step 4: items for the new indicators, funding sources and budgets
# ---------------------------------------------------------------------------------------------
REGION_COST = {"I": 0.9, "II": 1.0, "III": 1.15}
CROPS = ("cà phê", "mía", "xoài", "nhãn", "mận hậu", "chè", "sơn tra", "bò thịt", "cây dược liệu")
NEW_ITEMS = {  # criterion → (name, kind, category, cost range in million VND, years)
    "planning": (
        ("Lập quy hoạch chung xã sau sắp xếp đến năm 2035", "infrastructure", "planning"),
        (1_200, 3_500),
        1,
    ),
    "infrastructure": (
        ("Nhựa hóa đường trục xã nối các trung tâm xã cũ", "infrastructure", "road"),
        (6_000, 22_000),
        2,
    ),
    "rural_economy": (
        ("Phát triển sản phẩm OCOP, liên kết chuỗi giá trị {crop}", "livelihood", "value_chain"),
        (1_500, 6_000),
        2,
    ),
    "human_resources": (
        ("Đào tạo nghề, chuyển đổi nghề cho lao động nông thôn", "livelihood", "training"),
        (400, 1_500),
        1,
    ),
    "culture_education_health": (
        ("Nâng chuẩn trạm y tế và điểm trường sau sáp nhập", "infrastructure", "health"),
        (2_000, 7_000),
        2,
    ),
    "poverty_social_security": (
        (
            "Hỗ trợ sinh kế, an sinh cho hộ nghèo, cận nghèo theo chuẩn mới",
            "livelihood",
            "livestock",
        ),
        (1_000, 5_000),
        2,
    ),
    "digital_transformation": (
        ("Hạ tầng số, chuyển đổi số và dịch vụ công trực tuyến xã", "infrastructure", "ict"),
        (800, 3_500),
        1,
    ),
    "environment": (
        ("Thu gom, xử lý rác thải, nước thải, cải tạo cảnh quan", "infrastructure", "sanitation"),
        (1_500, 6_000),
        2,
    ),
    "political_system": (
        ("Trung tâm phục vụ hành chính công xã và trang thiết bị", "infrastructure", "governance"),
        (1_000, 4_000),
        1,
    ),
    "law_security": (
        (
            "Điểm tiếp cận pháp luật, nhà làm việc công an, dân quân xã",
            "infrastructure",
            "governance",
        ),
        (500, 2_500),
        1,
    ),
}
DASH = " \u2013 "
SOURCES = (  # the merged national programme (Resolution 257/2025/QH15) and what it draws on
    FundingSource(
        code="central",
        name_vi="Ngân sách trung ương (CTMTQG nông thôn mới, giảm nghèo, DTTS và miền núi)",
        name_en="Central budget (merged national target programme)",
        kind="grant",
    ),
    FundingSource(
        code="local",
        name_vi="Ngân sách địa phương đối ứng",
        name_en="Local counterpart budget",
        kind="grant",
    ),
    FundingSource(
        code="integrated",
        name_vi="Vốn lồng ghép các chương trình, dự án khác",
        name_en="Integrated money of other programmes and sector projects",
        kind="grant",
        eligible_kinds=("infrastructure",),
        eligible_categories=(
            "road",
            "irrigation",
            "power",
            "school",
            "health",
            "water",
            "culture",
            "ict",
        ),
    ),
    FundingSource(
        code="policy_credit",
        name_vi="Vốn tín dụng chính sách (Ngân hàng Chính sách xã hội)",
        name_en="Policy credit (Vietnam Bank for Social Policies)",
        kind="credit",
        eligible_kinds=("livelihood",),
        eligible_categories=("livestock", "value_chain", "housing", "water"),
        max_share=0.5,
    ),
    FundingSource(
        code="people",
        name_vi="Nhân dân đóng góp",
        name_en="People's contributions",
        kind="contribution",
        eligible_categories=("road", "culture", "sanitation"),
        max_share=0.15,
        max_poverty_rate=0.25,
    ),
)
BUDGETS_TY = {  # source → tỷ đồng per year 2026..2030. ASSUMPTIONS, see the README.
    "central": (150, 220, 260, 290, 300),  # 1,220 tỷ usable for these criteria (see README)
    "local": (18, 26, 31, 35, 36),  # 12 % of central (at least 10 % for Sơn La)
    "integrated": (50, 70, 80, 80, 80),
    "policy_credit": (40, 40, 40, 40, 40),
    "people": (8, 8, 8, 8, 8),
}
NEED_TO_BUDGET = (1.5, 3.5)  # total need of units below standard / five-year budget
FORMULA_WEIGHT = {"III": 50, "II": 40, "I": 30}  # 2026-2030 coefficients (domain.md)
FORMULA_FLAG_WEIGHT = 50  # ATK or border
EMPTY_WARDS = {  # wards formed only from old wards/towns: synthetic records (population 2025)
    "Phường Tô Hiệu": 52_000,
    "Phường Thảo Nguyên": 21_000,
}


# =============================================================================================
# Step 1
# =============================================================================================
def advance_to_2025(
    old: Dataset, rng: np.random.Generator
) -> tuple[list[CommuneProgress], list[CriterionStatus], dict]:
    """The 2021 package's progress to the end of 2025 on the same set (synthetic): the new figures
    of every commune and the status rows that changed. ``models.transition.apply_progress``
    applies them (and removes or rescales the items of the gaps that changed)."""
    status = {(s.commune_code, s.criterion_code): s for s in old.status}
    need = defaultdict(float)  # cost of the items closing a commune's gaps (its own items only)
    for investment in old.investments:
        served = {e.commune_code for e in old.effects_by_investment[investment.code]}
        if len(served) == 1 and not investment.maintenance:
            need[served.pop()] += investment.cost
    below = [c.code for c in old.communes if c.ntm_level == NtmLevel.NONE]
    noisy = {code: need[code] * float(rng.lognormal(0.0, 0.3)) for code in below}
    n_new = STANDARD_2025 - (len(old.communes) - len(below))
    reached = set(sorted(below, key=lambda code: (noisy[code], code))[:n_new])

    # Poverty and income move to their 2025 level; the poverty factor is solved for the target.
    pop = np.array([c.population for c in old.communes], dtype=float)
    rate21 = np.array([c.poverty_rate for c in old.communes])
    factor = POVERTY_2025 / float((pop * rate21).sum() / pop.sum())
    communes, changed = [], []
    closed: set[tuple[str, str]] = set()
    for c in old.communes:
        rate = round(c.poverty_rate * factor * float(rng.uniform(0.9, 1.1)), 4)
        income = round((c.income_per_capita or 0.0) * INCOME_GROWTH, 1)
        level = c.ntm_level
        if c.code in reached:
            rate = min(rate, round(float(rng.uniform(0.04, 0.12)), 4))
            income = max(income, round(INCOME_THRESHOLD_2025 + float(rng.uniform(0.5, 6)), 1))
            level = NtmLevel.STANDARD
        communes.append(
            CommuneProgress(
                code=c.code, poverty_rate=rate, income_per_capita=income, ntm_level=level
            )
        )
        for k in old.criteria.codes:
            s = status[(c.code, k)]
            if k == "poverty":
                gap = round(rate * 100 - POVERTY_THRESHOLD * 100, 2)
            elif k == "income":
                gap = round(INCOME_THRESHOLD_2025 - income, 2)
            elif s.met or c.code in reached or rng.random() < P_CLOSE:
                gap = 0.0
            else:
                gap = s.gap
            met = gap <= 0
            if met and not s.met:
                closed.add((c.code, k))
            new = CriterionStatus(
                commune_code=c.code,
                criterion_code=k,
                met=met,
                gap=0.0 if met else gap,
                at_risk=s.at_risk and met,
            )
            if new != s or k in RESCORED:
                changed.append(new)
    figures = {"reached": len(reached), "closed": len(closed), "poverty_factor": factor}
    return communes, changed, figures


# =============================================================================================
# Step 2: merge (library) and the wards with nothing to merge
# =============================================================================================
def empty_wards(old: Dataset, mapping: Mapping, rng: np.random.Generator) -> list[Commune]:
    """Records for new units formed only from old wards and towns (synthetic; all criteria met)."""
    records = []
    for unit in empty_new_units(old, mapping):
        assert unit.unit_type == UnitType.WARD, unit
        population = EMPTY_WARDS[unit.name]
        records.append(
            Commune(
                code=unit.code,
                name=unit.name,
                unit_type=UnitType.WARD,
                region=Region.I,
                population=population,
                households=round(population / float(rng.uniform(3.6, 4.0))),
                poverty_rate=round(float(rng.uniform(0.01, 0.03)), 4),
                income_per_capita=round(float(rng.uniform(62, 75)), 1),
            )
        )
    return records


# =============================================================================================
# Step 3: assessment on the 2026-2030 set (the part the correspondence does not carry)
# =============================================================================================
def assess_2026(merged: Dataset, mapping: Mapping, rng: np.random.Generator) -> list[Assessment]:
    """Rows of ``assessment.csv``: per commune and new criterion, whether new content (or a new
    plan) is unmet (units in merged order, criteria in set order; wards get no draw)."""
    parts = Counter(row.new_code for row in mapping.rows)
    rows = []
    for unit in merged.communes:
        merged_unit = parts[unit.code] > 1
        for new in FEEDS:
            if unit.unit_type == UnitType.WARD:
                continue  # the commune set does not apply to wards: only old gaps carried
            if new == "planning" and merged_unit:
                # the old communes' plans are superseded by the new unit's plan
                gap = int(rng.random() < P_REPLAN)
                rows.append(
                    Assessment(new_code=unit.code, criterion=new, gap=gap, supersedes_old=True)
                )
                continue
            p = NEW_CONTENT[new] * REGION_FACTOR[unit.region.value]
            if rng.random() < p:
                rows.append(Assessment(new_code=unit.code, criterion=new, gap=1))
    return rows


# =============================================================================================
# Step 4: items for the new indicators
# =============================================================================================
def new_items(
    merged: Dataset, assessment: list[Assessment], rng: np.random.Generator
) -> tuple[list[Investment], list[Effect]]:
    """One or two items per indicator new in 2026-2030 (amounts add up to 1 indicator)."""
    investments, effects = [], []
    units = merged.commune_by_code
    for row in assessment:
        if not row.gap:
            continue
        code, criterion, unit = row.new_code, row.criterion, units[row.new_code]
        (name, kind, category), (lo, hi), years = NEW_ITEMS[criterion]
        k = (
            1
            if criterion in ("planning", "political_system", "law_security")
            else 1 + int(rng.random() < 0.4)
        )
        shares = [1.0] if k == 1 else [0.5, 0.5]
        for part, share in enumerate(shares, start=1):
            label = name.format(crop=CROPS[int(rng.integers(len(CROPS)))])
            if k > 1:
                label += f" (giai đoạn {part})"
            cost = float(rng.uniform(lo, hi)) * REGION_COST[unit.region.value] * share
            item_code = f"INV26_{len(investments) + 1:04d}"
            investments.append(
                Investment(
                    code=item_code,
                    name=f"{label}{DASH}{unit.name}",
                    kind=kind,
                    category=category,
                    cost=max(1, round(cost)),
                    duration_years=years if cost >= 1_500 else 1,
                    earliest_year=BASE_YEAR,
                )
            )
            effects.append(
                Effect(
                    investment_code=item_code,
                    commune_code=code,
                    criterion_code=criterion,
                    amount=share,
                )
            )
    return investments, effects


# =============================================================================================
# The package
# =============================================================================================
DESCRIPTION = (
    "The 75 commune-level units of Sơn La after the 1 July 2025 reform (67 communes, 8 wards; "
    "official codes and names), assessed on the 2026-2030 criteria set (10 criteria). Built by "
    "data/build_son_la_2026.py (seed {seed}) from the synthetic data/son_la_2021 package: moved "
    "to the end of 2025, merged through data/mappings/son_la_2025.csv (models.merge), re-assessed "
    "on the new set where the old criteria feed the new ones and drawn at random where they do "
    "not. Gaps count indicators. Criterion status, gaps, items, funding rules and budgets are "
    "synthetic; budgets 2026-2030 are an assumption. Not official data."
)
SOURCE = (
    "Units: Nghị quyết 1681/NQ-UBTVQH15 via vietnam-address-converter 1.0.5 and vietnam-provinces "
    "2025.10.1 (data/mappings/README.md). Criteria: Decision 51/2025/QĐ-TTg (docs/criteria-sets.md). "
    "Calibration: the project's domain reference (shared/domain.md)."
)


def build(rng: np.random.Generator) -> tuple[Transition, Transitioned, dict]:
    """Draw the transition (the order of the draws is fixed: rebuilding is byte-identical), then
    build the package from it with ``models.transition``, as ``ntm merge --transition`` does."""
    old = load_package(IN_DIR)
    mapping = load_mapping(MAPPING)
    commune_progress, status_progress, fig = advance_to_2025(old, rng)
    transition = Transition(
        info=DatasetInfo(
            name="Sơn La 2026",
            province="Sơn La",
            base_year=BASE_YEAR,
            criteria_set=NEW_SET,
            description=DESCRIPTION.format(seed=SEED),
            source=SOURCE,
        ),
        criteria=builtin_criteria_set(NEW_SET),
        commune_progress=tuple(commune_progress),
        status_progress=tuple(status_progress),
        correspondence=tuple(
            Correspondence(old_criterion=old_k, new_criterion=new, note=NOTES.get(old_k))
            for new, olds in FEEDS.items()
            for old_k in olds
        ),
        sources=SOURCES,
        budgets=tuple(
            Budget(source_code=s, year=y, amount=a * 1_000)
            for s, amounts in BUDGETS_TY.items()
            for y, a in zip(PLAN_YEARS, amounts, strict=True)
        ),
    )
    # the draws of steps 2-4 need the merged units: the library's own steps give them
    advanced, _ = apply_progress(old, transition)
    merged = merge_dataset(advanced, mapping, name="Sơn La 2025", base_year=2025, omit_empty=True)
    wards = empty_wards(advanced, mapping, rng)
    assessment = assess_2026(merged, mapping, rng)
    investments, effects = new_items(merged, assessment, rng)
    transition = transition.model_copy(
        update={
            "assessment": tuple(assessment),
            "empty_units": tuple(wards),
            "investments": tuple(investments),
            "effects": tuple(effects),
        }
    )
    result = transition_dataset(old, mapping, transition)
    fig.update(mapping=mapping, wards=[w.name for w in wards])
    return transition, result, fig


def unit_needs(d: Dataset) -> dict[str, float]:
    """Cost to standard of each unit below standard: every gap filled cheapest-first per unit of
    gap (an item serving n units counts 1/n of its cost; alternatives are not added up)."""
    offers: dict[tuple[str, str], list[tuple[float, float, float]]] = defaultdict(list)
    for investment in d.investments:
        effects = d.effects_by_investment[investment.code]
        share = investment.cost / len({e.commune_code for e in effects})
        for e in effects:
            offers[(e.commune_code, e.criterion_code)].append((share / e.amount, e.amount, share))
    need: dict[str, float] = defaultdict(float)
    for s in d.status:
        if s.met:
            continue
        left = s.gap
        for _, amount, cost in sorted(offers[(s.commune_code, s.criterion_code)]):
            take = min(1.0, left / amount)
            need[s.commune_code] += take * cost
            left -= take * amount
            if left <= 1e-9:
                break
    return {c.code: need[c.code] for c in d.communes if not d.at_standard(c.code)}


def formula_weight(c: Commune) -> int:
    """2026-2030 formula: 50 (III, ATK, border), 40 (II), 30 (I), +1 per difficult village."""
    base = FORMULA_FLAG_WEIGHT if (c.atk or c.border) else FORMULA_WEIGHT[c.region.value]
    return base + c.difficult_villages


def check_and_print(result: Transitioned, fig: dict) -> None:
    """Assert the calibration targets and format rules; print the figures for the README."""
    d, advanced, merged = result.dataset, result.advanced, result.merged
    communes = [c for c in d.communes if c.unit_type == UnitType.COMMUNE]
    wards = [c for c in d.communes if c.unit_type == UnitType.WARD]
    assert len(d.communes) == N_UNITS and len(communes) == N_COMMUNES and len(wards) == N_WARDS
    assert {c.code for c in d.communes} == {u.code for u in fig["mapping"].new_units}
    pop = sum(c.population for c in advanced.communes)
    poverty = sum(c.population * c.poverty_rate for c in advanced.communes) / pop
    assert abs(poverty - POVERTY_2025) <= POVERTY_TOL, poverty
    at_standard_2025 = sum(c.ntm_level != NtmLevel.NONE for c in advanced.communes)
    assert at_standard_2025 == STANDARD_2025
    # coverage: every gap can be closed by the items that serve it
    reach: dict[tuple[str, str], float] = defaultdict(float)
    for e in d.effects:
        reach[(e.commune_code, e.criterion_code)] += e.amount
    short = [s for s in d.status if not s.met and reach[(s.commune_code, s.criterion_code)] < s.gap]
    assert not short, short[:5]
    met = Counter(s.commune_code for s in d.status if s.met)
    met_communes = np.array([met[c.code] for c in communes])
    at_std = [c for c in communes if d.at_standard(c.code)]
    codes = {c.code for c in communes}
    needs = {k: v for k, v in unit_needs(d).items() if k in codes}
    commune_needs = [needs[c.code] for c in communes if c.code in needs]
    total_need = sum(commune_needs)
    budget = sum(b.amount for b in d.budgets)
    unmet = Counter(s.criterion_code for s in d.status if not s.met and s.commune_code in needs)
    merged_std = sum(merged.at_standard(c.code) for c in merged.communes)
    weights = {c.code: formula_weight(c) for c in communes}
    regions = Counter(c.region.value for c in communes)
    sizes = Counter(row.new_code for row in fig["mapping"].rows if row.old_unit_type == "commune")
    parts = Counter(sizes[c.code] for c in communes)
    old_std_parts = Counter()
    for row in fig["mapping"].rows:
        if row.old_code in advanced.commune_by_code:
            old_std_parts[row.new_code] += advanced.at_standard(row.old_code)
    all_std = [
        c.code
        for c in merged.communes
        if old_std_parts[c.code] == sizes[c.code] and merged.at_standard(c.code)
    ]
    tỷ = lambda m: f"{m / 1_000:,.0f} tỷ"  # noqa: E731
    lines = [
        "Calibration figures (Sơn La 2026, synthetic):",
        f"  2021 → 2025 (old set): +{fig['reached']} communes to standard, {STANDARD_2025} in "
        f"all; {fig['closed']} gaps closed; poverty {poverty:.4f} (target {POVERTY_2025}); "
        f"{result.items_done} items of closed gaps removed",
        f"  units: {len(d.communes)} ({len(communes)} communes, {len(wards)} wards); formed from "
        f"{len(advanced.communes)} rural communes of 2021; wards added with synthetic records: "
        + ", ".join(fig["wards"]),
        "  communes by number of 2021 communes merged: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(parts.items())),
        f"  population (rural parts) {sum(c.population for c in communes):,}; region "
        + ", ".join(f"{r} {n}" for r, n in sorted(regions.items()))
        + f"; border {sum(c.border for c in communes)}, ATK {sum(c.atk for c in communes)}, "
        f"extremely difficult {sum(c.extremely_difficult for c in communes)}, difficult villages "
        f"{sum(c.difficult_villages for c in communes)}",
        f"  merger on the old set: {merged_std} of {len(merged.communes)} merged units at standard"
        f" (before: {STANDARD_2025} of {len(advanced.communes)} communes); units whose every "
        f"part was at standard: {len(all_std)}",
        f"  new set: communes at standard {len(at_std)} of {len(communes)}; criteria met mean "
        f"{met_communes.mean():.2f} of 10; below 8 (the default floor): "
        f"{int((met_communes < 8).sum())}; min {int(met_communes.min())}",
        "  times unmet (communes below standard): "
        + ", ".join(f"{k} {n}" for k, n in unmet.most_common()),
        f"  items: {len(d.investments)} ({result.carried_items} carried from 2021, "
        f"{result.new_items} for new indicators); effects {len(d.effects)}; dropped: "
        + ", ".join(f"{k} {n}" for k, n in result.dropped.items()),
        f"  cost to standard per commune below standard (n={len(commune_needs)}): mean "
        f"{tỷ(np.mean(commune_needs))}, median {tỷ(np.median(commune_needs))}, range "
        f"{tỷ(min(commune_needs))}-{tỷ(max(commune_needs))}",
        f"  total need {tỷ(total_need)}; budget 2026-2030 {tỷ(budget)} (central "
        f"{tỷ(sum(b.amount for b in d.budgets if b.source_code == 'central'))}); need / budget "
        f"= {total_need / budget:.2f}",
        f"  2026-2030 formula weights (communes): total {sum(weights.values()):,}; "
        f"min {min(weights.values())}, max {max(weights.values())}",
    ]
    print("\n".join(lines))
    assert NEED_TO_BUDGET[0] <= total_need / budget <= NEED_TO_BUDGET[1], total_need / budget


def main() -> None:
    """Build, check, print the figures, write the transition folder and the package."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="package folder")
    parser.add_argument(
        "--transition-out", type=Path, default=TRANSITION_DIR, help="transition folder"
    )
    args = parser.parse_args()
    transition, result, fig = build(np.random.default_rng(SEED))
    check_and_print(result, fig)
    save_transition(transition, args.transition_out)
    save_package(result.dataset, args.out)
    print(f"Wrote {args.transition_out} and {args.out}")


if __name__ == "__main__":
    main()
