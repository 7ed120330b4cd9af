"""Build the Sơn La 2021 data package in ``data/son_la_2021/`` (CSV folder).

Run from the repository root::

    python data/build_son_la_2021.py

What is real: the 188 rural communes of Sơn La at the start of 2021 (official codes, names and
districts from ``vietnam_provinces`` 0.6.0). Everything else — regions, flags, population, poverty,
criterion status, gaps, investment items, funding rules and budgets — is **synthetic**, drawn from a
seeded random generator and calibrated to the province's published aggregates (see the project's
domain reference ``shared/domain.md`` and ``data/son_la_2021/README.md``). The script asserts
every calibration target and prints the figures it reached. Rebuilding is byte-identical.

Money is in million VND (triệu đồng), integers. Gaps are in each criterion's unit.
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import vietnam_provinces

# ---------------------------------------------------------------------------------------------
# Package identity and output
# ---------------------------------------------------------------------------------------------
SEED = 20210308
OUT_DIR = Path(__file__).resolve().parent / "son_la_2021"
PROVINCE_CODE = 14
PROVINCE_NAME = "Sơn La"
BASE_YEAR = 2021
PLAN_YEARS = (2021, 2022, 2023, 2024, 2025)
CRITERIA_SET = "ntm_2021_2025"

# ---------------------------------------------------------------------------------------------
# Calibration targets (domain.md, "Sơn La: where it stands")
# ---------------------------------------------------------------------------------------------
N_COMMUNES = 188  # rural communes at programme start
N_STANDARD = 54  # communes at standard (2022 resolution) ...
N_ADVANCED = 5  # ... of which advanced
MEAN_CRITERIA_MET = 12.9  # average criteria met (2022 resolution, 2021-2025 set)
MEAN_CRITERIA_TOL = 0.05
POVERTY_RATE_TARGET = 0.2166  # multidimensional poverty 2021 (population-weighted)
POVERTY_RATE_TOL = 0.0005
TARGET_2025 = 83  # provincial resolution: communes at standard by 2025
MIN_BELOW_10 = 15  # at least this many communes below 10 criteria
N_BORDER = 18
N_ATK = 12
N_AT_RISK = 30  # met criteria of standard communes needing maintenance
REPORTED_UNMET = (  # "unmet criteria most often reported"
    "planning",
    "transport",
    "irrigation",
    "cultural_facilities",
    "labour",
    "environment",
    "poverty",
    "income",
)
NEED_13_15 = (15_000, 35_000)  # cost to standard of a 13-15 criteria commune (estimate)
NEED_BELOW_10 = (40_000, 80_000)  # cost to standard of a commune below 10 criteria (estimate)
NEED_TO_BUDGET = (3.0, 4.0)  # total need of non-standard communes / 5-year budget
ITEM_COUNT = (1_500, 2_500)
SHARED_COUNT = (60, 100)

# Indicator thresholds (Northern Mountains, 2021-2025 set; approximate, domain.md)
INCOME_THRESHOLD = 39.0  # million VND/person (2022 threshold)
POVERTY_THRESHOLD = 0.13  # multidimensional poverty rate
ADVANCED_INCOME = 45.0
ADVANCED_POVERTY = 0.06
MAX_POVERTY_RATE = 0.75

# ---------------------------------------------------------------------------------------------
# Budgets 2021-2025 (million VND). ASSUMPTION: Sơn La's NTM money by source is not published;
# domain.md suggests 1,000-1,500 tỷ central NTM money over five years plus counterpart and
# integrated money. Yearly weights rise because the programme was only approved in 2022.
# ---------------------------------------------------------------------------------------------
BUDGETS_TY = {  # source -> tỷ đồng per year 2021..2025
    "central": (100, 220, 270, 310, 350),  # 1,250 tỷ over five years
    "provincial": (12, 26, 33, 37, 42),  # local counterpart, 12 % of central
    "poverty_programme": (8, 17, 20, 22, 23),  # share usable for NTM livelihood criteria
    "ethnic_minority": (10, 21, 24, 27, 28),  # share usable in extremely difficult communes
    "policy_credit": (8, 8, 8, 8, 8),
    "enterprises": (2, 3, 3, 3, 4),
    "people": (2, 2, 2, 2, 2),
}

# ---------------------------------------------------------------------------------------------
# The 19 criteria of the built-in 2021-2025 set: (code, unit, kind)
# ---------------------------------------------------------------------------------------------
CRITERIA = (
    ("planning", "plan", "governance"),
    ("transport", "km", "infrastructure"),
    ("irrigation", "%", "infrastructure"),
    ("electricity", "%", "infrastructure"),
    ("schools", "school", "infrastructure"),
    ("cultural_facilities", "facility", "infrastructure"),
    ("rural_commerce", "market", "infrastructure"),
    ("information", "point", "infrastructure"),
    ("housing", "house", "livelihood"),
    ("income", "million VND/person", "livelihood"),
    ("poverty", "percentage point", "livelihood"),
    ("labour", "percentage point", "livelihood"),
    ("production", "cooperative", "livelihood"),
    ("education", "point", "social"),
    ("health", "percentage point", "social"),
    ("culture", "village", "social"),
    ("environment", "percentage point", "infrastructure"),
    ("political_system", "point", "governance"),
    ("defence", "point", "governance"),
)
CRITERION_CODES = tuple(code for code, _, _ in CRITERIA)
N_CRITERIA = len(CRITERIA)

# How often each criterion is unmet (relative weights for drawing a commune's unmet criteria).
UNMET_WEIGHTS = {
    "planning": 6.5,
    "transport": 9.0,
    "irrigation": 7.0,
    "electricity": 2.2,
    "schools": 2.6,
    "cultural_facilities": 6.5,
    "rural_commerce": 2.6,
    "information": 1.6,
    "housing": 2.6,
    "income": 7.0,
    "poverty": 8.0,
    "labour": 6.5,
    "production": 3.0,
    "education": 1.2,
    "health": 1.5,
    "culture": 0.9,
    "environment": 8.5,
    "political_system": 0.5,
    "defence": 0.35,
}
# Weights for which met criteria of standard communes are at risk.
AT_RISK_WEIGHTS = {
    "transport": 4,
    "irrigation": 3,
    "environment": 3,
    "cultural_facilities": 2,
    "schools": 1.5,
    "electricity": 1,
    "income": 2,
    "poverty": 2.5,
    "labour": 1,
    "housing": 1,
}

# ---------------------------------------------------------------------------------------------
# Synthetic commune profile
# ---------------------------------------------------------------------------------------------
# Development offset by district: Sơn La city finished NTM in 2019, Mộc Châu and Mai Sơn lead,
# remote border districts (Sốp Cộp, Sông Mã) and Bắc Yên lag.
DISTRICT_OFFSET = {
    "Thành phố Sơn La": 2.5,
    "Huyện Mộc Châu": 0.9,
    "Huyện Mai Sơn": 0.6,
    "Huyện Yên Châu": 0.3,
    "Huyện Phù Yên": 0.2,
    "Huyện Quỳnh Nhai": 0.1,
    "Huyện Thuận Châu": -0.2,
    "Huyện Mường La": -0.2,
    "Huyện Vân Hồ": -0.1,
    "Huyện Sông Mã": -0.5,
    "Huyện Bắc Yên": -0.6,
    "Huyện Sốp Cộp": -0.7,
}
# Plausible border communes (districts bordering Laos) and safe-zone (ATK) communes. These are
# synthetic picks by name and place, not the official lists.
BORDER_BY_DISTRICT = {
    "Huyện Sốp Cộp": ("04225", "04237", "04240", "04243", "04246"),
    "Huyện Sông Mã": ("04216", "04219", "04222"),
    "Huyện Mai Sơn": ("04141", "04159"),
    "Huyện Yên Châu": ("04084", "04099"),
    "Huyện Mộc Châu": ("04024", "04045"),
    "Huyện Vân Hồ": ("04057", "04058"),
    "Huyện Thuận Châu": ("03760", "03781"),
}
ATK_BY_DISTRICT = {
    "Huyện Thuận Châu": ("03724", "03730", "03772"),
    "Huyện Mường La": ("03838", "03844", "03847"),
    "Huyện Quỳnh Nhai": ("03688", "03694"),
    "Huyện Mai Sơn": ("04114", "04138"),
    "Huyện Bắc Yên": ("03886",),
    "Huyện Phù Yên": ("03901",),
}
BORDER_COMMUNES = tuple(code for codes in BORDER_BY_DISTRICT.values() for code in codes)
ATK_COMMUNES = tuple(code for codes in ATK_BY_DISTRICT.values() for code in codes)
COMMUNE_COLUMNS = (  # docs/data-format.md, communes.csv
    "code",
    "name",
    "district",
    "unit_type",
    "region",
    "population",
    "households",
    "poverty_rate",
    "income_per_capita",
    "ntm_level",
    "border",
    "atk",
    "extremely_difficult",
    "difficult_villages",
)
REGION_COUNTS = {"I": 32, "II": 60, "III": 96}
REGION_COST_FACTOR = {"I": 0.9, "II": 1.0, "III": 1.15}  # steeper, remoter ground costs more
POPULATION_RANGE = (2_000, 15_000)
POPULATION_MEDIAN = 5_200
PERSONS_PER_HOUSEHOLD = 4.5
WORKING_AGE_SHARE = 0.62
INCOME_RANGE = (25.0, 55.0)

# ---------------------------------------------------------------------------------------------
# Investments
# ---------------------------------------------------------------------------------------------
ALTERNATIVE_SHARE = 0.12  # share of gaps that also get one alternative item
SHARED_GROUP_SHARE = 0.72  # share of communes with the gap that get grouped into shared works
SHARED_CRITERIA = ("transport", "irrigation", "environment")
SHARED_DISCOUNT = (0.75, 0.95)  # a shared work costs this share of the local works it replaces
SHARED_EARLIEST_YEAR = 2022  # inter-commune works need a feasibility study first

# Syllables for synthetic village (bản) names in the style of Thái and Mông names.
VILLAGE_FIRST_TEXT = "Nà Huổi Pá Phiêng Co Bó Hua Nậm Tà Pú Púng Noong Lọng Sài Pha Ten"
VILLAGE_SECOND_TEXT = (
    "Mường Khoang Lay Sản Pục Hịa Ngùa Cang Lót Hin Phát Ban Sẳng Tre Mòn Ún Lếch Khá Nghịu Dấu "
    "Lầu Xe Piềng Đông Cọ Tọ Khay Hốc Lạnh Sa Pe Nhọt"
)
VILLAGE_FIRST = tuple(VILLAGE_FIRST_TEXT.split())
VILLAGE_SECOND = tuple(VILLAGE_SECOND_TEXT.split())
CROPS_TEXT = (
    "cà phê;mía;xoài;nhãn;mận hậu;chè;sơn tra;dong riềng;bò thịt;lợn bản;cây dược liệu;bơ;chanh leo"
)
CROPS = tuple(CROPS_TEXT.split(";"))
DASH = " \u2013 "  # en dash between an item and its commune, as in Vietnamese plan tables
SCHOOLS = ("Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường PTDTBT Tiểu học")


# =============================================================================================
# Small helpers
# =============================================================================================
def fmt_number(value: float) -> str:
    """Format a number for CSV: integers without decimals, others with at most 4 decimals."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def fmt_vn(value: float) -> str:
    """Format a quantity for a Vietnamese item name (decimal comma): 3.5 -> '3,5'."""
    return fmt_number(round(value, 2)).replace(".", ",")


def uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """One uniform draw as a Python float."""
    return float(rng.uniform(low, high))


def split_integer(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """Split a positive integer into ``parts`` positive integers (parts capped at total)."""
    parts = max(1, min(parts, total))
    if parts == 1:
        return [total]
    shares = rng.dirichlet(np.full(parts, 3.0))
    pieces = [max(1, int(s * total)) for s in shares[:-1]]
    pieces.append(total - sum(pieces))
    return pieces if pieces[-1] >= 1 else [total]


def split_amount(total: float, parts: int, rng: np.random.Generator) -> list[float]:
    """Split an amount (2 decimals) into ``parts`` positive amounts summing exactly to it.

    Works in hundredths so that the decimal sum of the parts equals the total exactly.
    """
    cents = round(total * 100)
    parts = max(1, min(parts, cents))
    shares = rng.dirichlet(np.full(parts, 3.0))
    pieces = [max(1, int(s * cents)) for s in shares[:-1]]
    pieces.append(cents - sum(pieces))
    if pieces[-1] < 1:  # pathological rounding: fall back to one piece
        pieces = [cents]
    return [p / 100 for p in pieces]


def draw_parts(rng: np.random.Generator, probs: tuple[float, ...]) -> int:
    """Draw a number of parts 1..len(probs) with the given probabilities."""
    return int(rng.choice(np.arange(1, len(probs) + 1), p=np.array(probs) / sum(probs)))


# =============================================================================================
# Communes (real list) and their synthetic profile
# =============================================================================================
def load_real_communes() -> pd.DataFrame:
    """The 188 rural communes ('Xã ...') of Sơn La from vietnam_provinces 0.6.0, sorted by code."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        provinces = json.load(fh)
    province = next(p for p in provinces if p["code"] == PROVINCE_CODE)
    rows = [
        {"code": f"{ward['code']:05d}", "name": ward["name"], "district": district["name"]}
        for district in province["districts"]
        for ward in district["wards"]
        if ward["name"].startswith("Xã")
    ]
    communes = pd.DataFrame(rows).sort_values("code", ignore_index=True)
    assert len(communes) == N_COMMUNES, len(communes)
    assert communes["code"].is_unique
    assert set(communes["district"]) == set(DISTRICT_OFFSET), set(communes["district"])
    return communes


def assign_profile(communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add a latent development score, region, flags, difficult villages, population, households."""
    df = communes.copy()
    df["border"] = df["code"].isin(BORDER_COMMUNES)
    df["atk"] = df["code"].isin(ATK_COMMUNES)
    offset = df["district"].map(DISTRICT_OFFSET).to_numpy()
    df["score"] = offset + rng.normal(0.0, 0.75, len(df)) - 0.35 * df["border"].to_numpy()

    # Region: by score with noise; Region I for the most developed, III for the least.
    region_key = df["score"].to_numpy() + rng.normal(0.0, 0.35, len(df))
    order = np.argsort(-region_key, kind="stable")
    region = np.empty(len(df), dtype=object)
    n_i, n_ii = REGION_COUNTS["I"], REGION_COUNTS["II"]
    region[order[:n_i]] = "I"
    region[order[n_i : n_i + n_ii]] = "II"
    region[order[n_i + n_ii :]] = "III"
    df["region"] = region
    # Region III communes are the extremely difficult communes (xã ĐBKK); border communes of
    # Region II are added, as programme 135 does.
    df["extremely_difficult"] = (df["region"] == "III") | (df["border"] & (df["region"] == "II"))

    base_villages = df["region"].map({"I": 0.3, "II": 2.0, "III": 7.5}).to_numpy()
    villages = rng.poisson(base_villages) + np.where(df["border"], 2, 0)
    df["difficult_villages"] = np.clip(villages, 0, 15).astype(int)

    lo, hi = POPULATION_RANGE
    population = rng.lognormal(math.log(POPULATION_MEDIAN), 0.42, len(df))
    df["population"] = np.clip(np.round(population / 10) * 10, lo, hi).astype(int)
    persons = PERSONS_PER_HOUSEHOLD + rng.uniform(-0.3, 0.3, len(df))
    df["households"] = np.round(df["population"] / persons).astype(int)
    return df


def assign_levels(df: pd.DataFrame) -> pd.DataFrame:
    """Pick the 54 standard communes (highest score; all of Sơn La city) and the 5 advanced."""
    df = df.copy()
    order = np.argsort(-df["score"].to_numpy(), kind="stable")
    level = np.full(len(df), "none", dtype=object)
    level[order[:N_STANDARD]] = "standard"
    level[order[:N_ADVANCED]] = "advanced"
    df["ntm_level"] = level
    city = df["district"] == "Thành phố Sơn La"
    assert (df.loc[city, "ntm_level"] != "none").all(), "Sơn La city completed NTM in 2019"
    return df


def assign_met_counts(df: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Criteria met per commune so that the provincial mean is exactly round(12.9 x 188) / 188.

    Standard communes meet all 19. Others get 5-18 by score and region, then the total is fixed by
    moving single criteria where the rounding residual is largest.
    """
    n = len(df)
    standard = (df["ntm_level"] != "none").to_numpy()
    target_total = round(MEAN_CRITERIA_MET * n)
    remaining = target_total - N_CRITERIA * int(standard.sum())
    rest = ~standard
    score = df["score"].to_numpy()
    z = (score - score[rest].mean()) / score[rest].std()
    raw = 2.6 * z + rng.normal(0.0, 1.1, n) - 0.5 * (df["region"] == "III").to_numpy()
    raw = raw - raw[rest].mean() + remaining / rest.sum()
    counts = np.where(standard, N_CRITERIA, np.clip(np.round(raw), 5, 18)).astype(int)
    residual = np.where(rest, raw - counts, np.nan)
    while (diff := remaining - int(counts[rest].sum())) != 0:
        step = 1 if diff > 0 else -1
        room = rest & ((counts < 18) if step > 0 else (counts > 5))
        pick = np.where(room, residual * step, -np.inf).argmax()
        counts[pick] += step
        residual[pick] -= step
    return counts


def choose_unmet(df: pd.DataFrame, counts: np.ndarray, rng: np.random.Generator) -> list[list[str]]:
    """For each commune, the criteria it does not meet, drawn by the reported-unmet weights.

    Poverty and income are weighted up in Region III and down in Region I.
    """
    unmet: list[list[str]] = []
    for region, met in zip(df["region"], counts, strict=True):
        k = N_CRITERIA - int(met)
        if k == 0:
            unmet.append([])
            continue
        weights = np.array([UNMET_WEIGHTS[c] for c in CRITERION_CODES])
        factor = {"I": 0.6, "II": 1.0, "III": 1.5}[region]
        for code in ("poverty", "income"):
            weights[CRITERION_CODES.index(code)] *= factor
        picked = rng.choice(N_CRITERIA, size=k, replace=False, p=weights / weights.sum())
        unmet.append([CRITERION_CODES[i] for i in sorted(picked)])
    return unmet


def assign_indicators(
    df: pd.DataFrame, unmet: list[list[str]], rng: np.random.Generator
) -> pd.DataFrame:
    """Poverty rate and income consistent with the status of the poverty and income criteria.

    Poverty: met -> rate ≤ 13 %; unmet -> 13 % + a gap whose scale is solved so that the
    population-weighted rate equals 21.66 %. Income: met -> ≥ 39, unmet -> 39 - gap.
    """
    df = df.copy()
    n = len(df)
    score = df["score"].to_numpy()
    level = df["ntm_level"].to_numpy()
    pop = df["population"].to_numpy().astype(float)
    poor = np.array(["poverty" in u for u in unmet])
    low_income = np.array(["income" in u for u in unmet])

    met_rate = np.where(
        level == "advanced",
        rng.uniform(0.015, ADVANCED_POVERTY, n),
        np.where(level == "standard", rng.uniform(0.03, 0.12, n), rng.uniform(0.07, 0.13, n)),
    )
    excess_raw = rng.gamma(2.5, 1.0, n) * np.exp(-0.35 * score)
    target = POVERTY_RATE_TARGET * pop.sum() - (pop * met_rate)[~poor].sum()
    scale = 1.0
    for _ in range(100):  # fixed point: rescale until the clipped rates hit the target
        excess = np.clip(scale * excess_raw, 0.005, MAX_POVERTY_RATE - POVERTY_THRESHOLD)
        reached = (pop * (POVERTY_THRESHOLD + excess))[poor].sum()
        scale *= (target - POVERTY_THRESHOLD * pop[poor].sum()) / (
            reached - POVERTY_THRESHOLD * pop[poor].sum()
        )
    rate = np.where(poor, POVERTY_THRESHOLD + excess, met_rate)
    df["poverty_rate"] = np.round(rate, 4)

    lo, hi = INCOME_RANGE
    met_income = np.where(
        level == "advanced",
        rng.uniform(ADVANCED_INCOME, hi, n),
        INCOME_THRESHOLD + rng.uniform(0.4, 1.0, n) * np.clip(13 + 4 * score, 4, hi - 39),
    )
    gap = np.clip(rng.gamma(2.5, 1.9, n) * np.exp(-0.2 * score), 0.5, INCOME_THRESHOLD - lo)
    income = np.where(low_income, INCOME_THRESHOLD - gap, met_income)
    df["income_per_capita"] = np.clip(np.round(income, 1), lo, hi)
    return df


# =============================================================================================
# Criterion status (gaps)
# =============================================================================================
def severity(n_unmet: int, region: str) -> float:
    """Gap-size multiplier. Communes close to standard are stuck on large, hard gaps; remote
    communes have bigger gaps."""
    return (1.40 - 0.04 * n_unmet) * {"I": 0.85, "II": 1.0, "III": 1.15}[region]


def draw_gap(code: str, commune: pd.Series, sev: float, rng: np.random.Generator) -> float:
    """Gap of one unmet criterion in the criterion's unit (discrete units are integers)."""
    hh = int(commune["households"])
    if code == "income":
        return round(INCOME_THRESHOLD - float(commune["income_per_capita"]), 2)
    if code == "poverty":
        return round(float(commune["poverty_rate"]) * 100 - POVERTY_THRESHOLD * 100, 2)
    if code == "transport":
        return round(float(np.clip(rng.gamma(3.0, 1.45 * sev), 1.0, 15.0)), 1)
    if code == "irrigation":
        return round(float(np.clip(rng.gamma(3.0, 2.8 * sev), 3.0, 25.0)), 2)
    if code == "electricity":
        return round(float(np.clip(rng.gamma(2.5, 2.0 * sev), 2.0, 15.0)), 2)
    if code == "labour":
        return round(float(np.clip(rng.gamma(3.0, 2.4 * sev), 2.0, 15.0)), 2)
    if code == "health":
        return round(float(np.clip(rng.gamma(2.5, 2.0 * sev), 2.0, 12.0)), 2)
    if code == "environment":
        return round(float(np.clip(rng.gamma(3.0, 3.6 * sev), 4.0, 30.0)), 2)
    if code == "housing":
        return int(np.clip(rng.gamma(2.0, 14.0 * sev) * hh / 1200, 5, 150))
    if code == "schools":
        return 1 + int(rng.random() < 0.25 * sev) + int(rng.random() < 0.05 * sev)
    if code == "cultural_facilities":
        return int(np.clip(1 + rng.poisson(2.2 * sev), 1, 8))
    if code == "culture":
        return int(np.clip(1 + rng.poisson(1.5 * sev), 1, 6))
    if code in ("information", "production", "education"):
        return 1 + int(rng.random() < 0.3 * sev)
    return 1  # planning, rural_commerce, political_system, defence


def build_status(
    df: pd.DataFrame, unmet: list[list[str]], rng: np.random.Generator
) -> pd.DataFrame:
    """One row per commune x criterion: met, gap (0 when met), at_risk (some standard communes)."""
    rows = []
    for (_, commune), missing in zip(df.iterrows(), unmet, strict=True):
        sev = severity(len(missing), commune["region"])
        for code in CRITERION_CODES:
            gap = draw_gap(code, commune, sev, rng) if code in missing else 0
            assert code not in missing or gap > 0, (commune["code"], code, gap)
            rows.append(
                {
                    "commune_code": commune["code"],
                    "criterion_code": code,
                    "met": code not in missing,
                    "gap": gap,
                    "at_risk": False,
                }
            )
    status = pd.DataFrame(rows)

    standard_codes = set(df.loc[df["ntm_level"] != "none", "code"])
    candidates = status[
        status["commune_code"].isin(standard_codes) & status["criterion_code"].isin(AT_RISK_WEIGHTS)
    ]
    weights = candidates["criterion_code"].map(AT_RISK_WEIGHTS).to_numpy(dtype=float)
    picked = rng.choice(
        candidates.index.to_numpy(), size=N_AT_RISK, replace=False, p=weights / weights.sum()
    )
    status.loc[np.sort(picked), "at_risk"] = True
    return status


# =============================================================================================
# Investment items
# =============================================================================================
@dataclass
class Item:
    """One fundable item before it gets its code."""

    name: str
    kind: str
    category: str
    cost: float
    duration: int
    role: str  # primary | alternative | shared | maintenance
    effects: list[tuple[str, str, float]] = field(default_factory=list)
    maintenance: bool = False
    earliest_year: int | None = None


@dataclass
class CommuneCtx:
    """What item generators need to know about one commune."""

    code: str
    name: str
    short: str
    region: str
    population: int
    households: int
    villages: list[str]
    next_village: int = 0

    @property
    def rf(self) -> float:
        """Regional cost factor."""
        return REGION_COST_FACTOR[self.region]

    def village(self) -> str:
        """Next village name of the commune (cycles through its villages)."""
        name = self.villages[self.next_village % len(self.villages)]
        self.next_village += 1
        return name


def make_villages(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` distinct synthetic village (bản) names in the style of Thái and Mông names."""
    names: list[str] = []
    while len(names) < n:
        first = VILLAGE_FIRST[rng.integers(len(VILLAGE_FIRST))]
        second = VILLAGE_SECOND[rng.integers(len(VILLAGE_SECOND))]
        name = f"{first} {second}"
        if first != second and name not in names:
            names.append(name)
    return names


def infra_duration(cost: float, rng: np.random.Generator) -> int:
    """Years to build an infrastructure work (1-3), longer for bigger works."""
    if cost < 1_500:
        return 1
    if cost < 6_000:
        return int(rng.integers(1, 3))
    if cost < 15_000:
        return 2
    return int(rng.integers(2, 4))


def infra(
    ctx: CommuneCtx,
    code: str,
    name: str,
    category: str,
    cost: float,
    amount: float,
    rng: np.random.Generator,
    role: str = "primary",
) -> Item:
    """An infrastructure item of one commune closing ``amount`` of criterion ``code``."""
    return Item(
        f"{name}{DASH}{ctx.name}",
        "infrastructure",
        category,
        cost,
        infra_duration(cost, rng),
        role,
        [(ctx.code, code, amount)],
    )


def livelihood(
    ctx: CommuneCtx,
    code: str,
    name: str,
    category: str,
    cost: float,
    amount: float,
    duration: int,
    role: str = "primary",
) -> Item:
    """A livelihood item of one commune closing ``amount`` of criterion ``code``."""
    return Item(
        f"{name}{DASH}{ctx.name}",
        "livelihood",
        category,
        cost,
        duration,
        role,
        [(ctx.code, code, amount)],
    )


def road_cost_per_km(ctx: CommuneCtx, rng: np.random.Generator) -> float:
    """Concrete rural road, 1.5-3 tỷ/km, dearer on remote steep ground."""
    return float(np.clip(uniform(rng, 1_650, 2_600) * ctx.rf, 1_500, 3_000))


def items_transport(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """1-3 road segments adding up to the missing km."""
    k = 1 if gap < 2 else draw_parts(rng, (0.35, 0.45, 0.2))
    k = max(k, 2 if gap > 6 else 1, 3 if gap > 10 else 1)
    return [
        infra(
            ctx,
            "transport",
            f"Cứng hóa {fmt_vn(a)} km đường bản {ctx.village()}",
            "road",
            a * road_cost_per_km(ctx, rng),
            a,
            rng,
        )
        for a in split_amount(gap, k, rng)
    ]


def items_irrigation(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Small irrigation works (1-5 tỷ each) adding up to the missing share of irrigated area."""
    k = 1 if gap < 5 else draw_parts(rng, (0.35, 0.45, 0.2))
    kinds = (
        "Kiên cố hóa kênh mương bản",
        "Sửa chữa, nâng cấp đập dâng bản",
        "Xây dựng hệ thống tưới tiết kiệm bản",
    )
    return [
        infra(
            ctx,
            "irrigation",
            f"{kinds[rng.integers(3)]} {ctx.village()}",
            "irrigation",
            float(np.clip(a * uniform(rng, 420, 650) * ctx.rf, 1_000, 5_000)),
            a,
            rng,
        )
        for a in split_amount(gap, k, rng)
    ]


def items_electricity(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Grid extensions to villages (1-5 tỷ each)."""
    k = 1 if gap < 4 else draw_parts(rng, (0.5, 0.5))
    return [
        infra(
            ctx,
            "electricity",
            f"Kéo điện lưới quốc gia về bản {ctx.village()}",
            "power",
            float(np.clip(a * uniform(rng, 500, 900) * ctx.rf, 1_000, 5_000)),
            a,
            rng,
        )
        for a in split_amount(gap, k, rng)
    ]


def items_schools(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """One school block (5-15 tỷ) per school not up to standard."""
    names = rng.choice(len(SCHOOLS), size=int(gap), replace=False)
    return [
        infra(
            ctx,
            "schools",
            f"Xây dựng khối phòng học, công trình phụ trợ {SCHOOLS[i]} {ctx.short}",
            "school",
            float(np.clip(uniform(rng, 5_000, 12_000) * ctx.rf, 5_000, 15_000)),
            1,
            rng,
        )
        for i in names
    ]


def items_cultural_facilities(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """A commune cultural centre (3-8 tỷ) where missing; village cultural houses (0.5-1.5 tỷ)."""
    items = []
    halls = int(gap)
    if rng.random() < 0.35:
        items.append(
            infra(
                ctx,
                "cultural_facilities",
                "Xây dựng Trung tâm văn hóa, thể thao xã",
                "culture",
                uniform(rng, 3_000, 8_000) * ctx.rf,
                1,
                rng,
            )
        )
        halls -= 1
    if halls > 0:
        for n in split_integer(halls, 1 if halls < 3 else 2, rng):
            label = f"bản {ctx.village()}" if n == 1 else f"{n} bản"
            cost = sum(uniform(rng, 500, 1_500) for _ in range(n)) * ctx.rf
            items.append(
                infra(
                    ctx,
                    "cultural_facilities",
                    f"Xây dựng nhà văn hóa {label}",
                    "culture",
                    cost,
                    n,
                    rng,
                )
            )
    return items


def items_rural_commerce(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """A rural market (1-5 tỷ)."""
    return [
        infra(
            ctx,
            "rural_commerce",
            "Xây dựng chợ nông thôn trung tâm xã",
            "market",
            float(np.clip(uniform(rng, 1_000, 4_500) * ctx.rf, 1_000, 5_000)),
            gap,
            rng,
        )
    ]


def items_information(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Loudspeaker / ICT systems and digital service points."""
    names = (
        "Hệ thống truyền thanh cơ sở ứng dụng CNTT-VT",
        "Điểm bưu chính văn hóa, wifi công cộng và chuyển đổi số",
    )
    return [
        infra(ctx, "information", names[i], "ict", uniform(rng, 300, 1_200), 1, rng)
        for i in range(int(gap))
    ]


def items_housing(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Replacing temporary houses (45-65 million per house: assumption)."""
    k = 1 if gap < 25 else 2
    return [
        livelihood(
            ctx,
            "housing",
            f"Hỗ trợ xóa nhà tạm, nhà dột nát cho {n} hộ",
            "housing",
            n * uniform(rng, 45, 65),
            n,
            1,
        )
        for n in split_integer(int(gap), k, rng)
    ]


def items_income(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Value-chain projects raising income per person; cost scales with population."""
    k = 1 if gap < 2 else draw_parts(rng, (0.3, 0.45, 0.25))
    crops = rng.choice(len(CROPS), size=k, replace=False)
    return [
        livelihood(
            ctx,
            "income",
            f"Dự án liên kết chuỗi giá trị {CROPS[c]}",
            "value_chain",
            float(np.clip(a * ctx.population * uniform(rng, 0.13, 0.22), 800, 15_000)),
            a,
            2,
        )
        for a, c in zip(split_amount(gap, k, rng), crops, strict=True)
    ]


POVERTY_MODELS = (  # name, category, cost per household supported, households lifted per supported
    ("Hỗ trợ bò sinh sản cho {n} hộ nghèo", "livestock", (20, 38), 0.85),
    ("Hỗ trợ dê sinh sản cho {n} hộ nghèo", "livestock", (12, 20), 0.6),
    ("Đa dạng hóa sinh kế, mô hình giảm nghèo cho {n} hộ", "value_chain", (25, 45), 0.75),
)


def poverty_item(
    ctx: CommuneCtx, amount: float, model: int, rng: np.random.Generator, role: str = "primary"
) -> Item:
    """A livelihood package lifting ``amount`` percentage points of households out of poverty."""
    name, category, (lo, hi), efficacy = POVERTY_MODELS[model]
    supported = math.ceil(amount * ctx.households / 100 / efficacy)
    duration = 1 if model == 1 and rng.random() < 0.5 else 2
    return livelihood(
        ctx,
        "poverty",
        name.format(n=supported),
        category,
        supported * uniform(rng, lo, hi),
        amount,
        duration,
        role,
    )


def items_poverty(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """1-3 livelihood packages (cows, goats, diversification) adding up to the poverty gap."""
    k = 1 if gap < 4 else draw_parts(rng, (0.2, 0.45, 0.35))
    return [
        poverty_item(ctx, a, int(rng.choice(3, p=[0.5, 0.2, 0.3])), rng)
        for a in split_amount(gap, k, rng)
    ]


def items_labour(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Vocational training (2-6 million per person plus allowances) and job connection."""
    working_age = WORKING_AGE_SHARE * ctx.population
    k = 1 if gap < 4 else 2
    items = []
    for i, a in enumerate(split_amount(gap, k, rng)):
        n = math.ceil(a * working_age / 100)
        if i == 0:
            items.append(
                livelihood(
                    ctx,
                    "labour",
                    f"Đào tạo nghề ngắn hạn cho {n} lao động",
                    "training",
                    n * uniform(rng, 3, 6),
                    a,
                    1,
                )
            )
        else:
            items.append(
                livelihood(
                    ctx,
                    "labour",
                    f"Tư vấn, kết nối việc làm cho {n} lao động",
                    "training",
                    n * uniform(rng, 1.5, 3),
                    a,
                    1,
                )
            )
    return items


def items_production(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Cooperatives linked to value chains (1.5-4 tỷ each)."""
    crops = rng.choice(len(CROPS), size=int(gap), replace=False)
    return [
        livelihood(
            ctx,
            "production",
            f"Thành lập, hỗ trợ hợp tác xã {CROPS[c]} gắn với liên kết tiêu thụ",
            "value_chain",
            uniform(rng, 1_500, 4_000),
            1,
            2,
        )
        for c in crops
    ]


def items_education(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Classrooms and equipment for universal education (0.8-3 tỷ per point)."""
    return [
        infra(
            ctx,
            "education",
            "Bổ sung phòng học, thiết bị dạy học đạt chuẩn phổ cập",
            "school",
            uniform(rng, 800, 3_000) * ctx.rf,
            gap,
            rng,
        )
    ]


def items_health(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """A commune health station brought up to standard (3-7 tỷ) closes the whole gap."""
    return [
        infra(
            ctx,
            "health",
            "Nâng cấp, mở rộng trạm y tế xã đạt chuẩn",
            "health",
            float(np.clip(uniform(rng, 3_000, 6_500) * ctx.rf, 3_000, 7_000)),
            gap,
            rng,
        )
    ]


def items_culture(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Cultural-village movement and village-hall equipment (150-400 million per village)."""
    k = 1 if gap <= 2 else 2
    return [
        infra(
            ctx,
            "culture",
            f"Xây dựng bản văn hóa: thiết chế và phong trào tại {n} bản",
            "culture",
            n * uniform(rng, 150, 400),
            n,
            rng,
        )
        for n in split_integer(int(gap), k, rng)
    ]


def water_scheme(
    ctx: CommuneCtx, amount: float, rng: np.random.Generator, role: str = "primary"
) -> Item:
    """A piped water scheme (3-15 tỷ) serving ``amount`` points of households."""
    served = amount * ctx.households / 100
    cost = float(np.clip(served * uniform(rng, 35, 60) * ctx.rf, 3_000, 15_000))
    return infra(
        ctx,
        "environment",
        f"Công trình cấp nước sinh hoạt tập trung bản {ctx.village()}",
        "water",
        cost,
        amount,
        rng,
        role,
    )


def items_environment(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Water schemes, household water tanks and latrines, waste collection."""
    k = 1 if gap < 5 else draw_parts(rng, (0.25, 0.45, 0.3))
    items = []
    for a in split_amount(gap, k, rng):
        pick = int(rng.choice(3, p=[0.55, 0.3, 0.15]))
        if pick == 2 and a <= 6:
            items.append(
                infra(
                    ctx,
                    "environment",
                    "Thu gom, xử lý rác thải và cải tạo nghĩa trang",
                    "sanitation",
                    uniform(rng, 800, 2_500),
                    a,
                    rng,
                )
            )
        elif pick == 1:
            n = math.ceil(a * ctx.households / 100)
            items.append(
                livelihood(
                    ctx,
                    "environment",
                    f"Hỗ trợ {n} hộ xây bể nước, nhà tiêu hợp vệ sinh",
                    "water",
                    n * uniform(rng, 10, 18),
                    a,
                    1,
                )
            )
        else:
            items.append(water_scheme(ctx, a, rng))
    return items


def items_planning(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """The commune's general construction plan (0.4-1.2 tỷ)."""
    return [
        infra(
            ctx,
            "planning",
            "Lập, điều chỉnh quy hoạch chung xây dựng xã đến 2030",
            "planning",
            uniform(rng, 400, 1_200),
            gap,
            rng,
        )
    ]


def items_political_system(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Commune office and access-to-law point (0.5-2.5 tỷ)."""
    return [
        infra(
            ctx,
            "political_system",
            "Nâng cấp trụ sở, xây dựng điểm tiếp cận pháp luật",
            "governance",
            uniform(rng, 500, 2_500),
            gap,
            rng,
        )
    ]


def items_defence(ctx: CommuneCtx, gap: float, rng: np.random.Generator) -> list[Item]:
    """Militia and police headquarters (0.8-2.5 tỷ)."""
    return [
        infra(
            ctx,
            "defence",
            "Xây dựng nhà làm việc Ban Chỉ huy quân sự, công an xã",
            "governance",
            uniform(rng, 800, 2_500),
            gap,
            rng,
        )
    ]


PRIMARY_GENERATORS = {
    "planning": items_planning,
    "transport": items_transport,
    "irrigation": items_irrigation,
    "electricity": items_electricity,
    "schools": items_schools,
    "cultural_facilities": items_cultural_facilities,
    "rural_commerce": items_rural_commerce,
    "information": items_information,
    "housing": items_housing,
    "income": items_income,
    "poverty": items_poverty,
    "labour": items_labour,
    "production": items_production,
    "education": items_education,
    "health": items_health,
    "culture": items_culture,
    "environment": items_environment,
    "political_system": items_political_system,
    "defence": items_defence,
}


def alternative_item(
    ctx: CommuneCtx, code: str, gap: float, primary_cost: float, rng: np.random.Generator
) -> Item | None:
    """One item closing the whole gap another way (cost relative to the primary items), or None."""
    factor = uniform(rng, 0.85, 1.3)
    if code == "transport":
        if rng.random() < 0.5:
            name = f"Làm {fmt_vn(gap)} km đường theo cơ chế đặc thù (nhân dân hiến đất, góp công)"
            return infra(
                ctx,
                code,
                name,
                "road",
                primary_cost * uniform(rng, 0.8, 0.95),
                gap,
                rng,
                "alternative",
            )
        name = f"Rải nhựa {fmt_vn(gap)} km đường trục xã bản {ctx.village()}"
        return infra(
            ctx, code, name, "road", primary_cost * uniform(rng, 1.3, 1.8), gap, rng, "alternative"
        )
    if code == "irrigation":
        return infra(
            ctx,
            code,
            f"Xây dựng hồ chứa nước nhỏ bản {ctx.village()}",
            "irrigation",
            primary_cost * factor,
            gap,
            rng,
            "alternative",
        )
    if code == "environment":
        return infra(
            ctx,
            code,
            "Nhà máy nước sạch liên kết doanh nghiệp",
            "water",
            primary_cost * factor,
            gap,
            rng,
            "alternative",
        )
    if code == "income":
        crop = CROPS[rng.integers(len(CROPS))]
        return livelihood(
            ctx,
            code,
            f"Liên kết doanh nghiệp trồng, tiêu thụ {crop} theo chuỗi",
            "value_chain",
            primary_cost * factor,
            gap,
            2,
            "alternative",
        )
    if code == "poverty":
        return poverty_item(ctx, gap, 1, rng, "alternative")
    if code == "cultural_facilities":
        return infra(
            ctx,
            code,
            "Nhà văn hóa kết hợp sân thể thao đa năng các bản",
            "culture",
            primary_cost * factor,
            gap,
            rng,
            "alternative",
        )
    if code == "rural_commerce":
        return infra(
            ctx,
            code,
            "Chợ nông thôn đầu tư theo hình thức xã hội hóa",
            "market",
            primary_cost * uniform(rng, 1.0, 1.3),
            gap,
            rng,
            "alternative",
        )
    if code == "labour":
        n = math.ceil(gap * WORKING_AGE_SHARE * ctx.population / 100)
        return livelihood(
            ctx,
            code,
            f"Đưa {n} lao động đi làm việc tại khu công nghiệp, xuất khẩu lao động",
            "training",
            primary_cost * uniform(rng, 0.7, 1.0),
            gap,
            1,
            "alternative",
        )
    if code == "housing":
        return livelihood(
            ctx,
            code,
            f"Cho vay ưu đãi và hỗ trợ làm nhà ở cho {int(gap)} hộ",
            "housing",
            primary_cost * uniform(rng, 0.9, 1.1),
            gap,
            1,
            "alternative",
        )
    return None


def commune_contexts(df: pd.DataFrame, rng: np.random.Generator) -> dict[str, CommuneCtx]:
    """Context objects (with synthetic village names) for every commune."""
    ctxs = {}
    for _, c in df.iterrows():
        n_villages = int(np.clip(round(c["population"] / 450), 6, 25))
        ctxs[c["code"]] = CommuneCtx(
            c["code"],
            c["name"],
            c["name"].removeprefix("Xã "),
            c["region"],
            int(c["population"]),
            int(c["households"]),
            make_villages(rng, n_villages),
        )
    return ctxs


def local_items(
    status: pd.DataFrame, ctxs: dict[str, CommuneCtx], rng: np.random.Generator
) -> list[Item]:
    """Primary items closing every gap exactly, plus some alternatives."""
    items: list[Item] = []
    for row in status[~status["met"]].itertuples(index=False):
        ctx = ctxs[row.commune_code]
        primary = PRIMARY_GENERATORS[row.criterion_code](ctx, row.gap, rng)
        items.extend(primary)
        if rng.random() < ALTERNATIVE_SHARE:
            alt = alternative_item(
                ctx, row.criterion_code, row.gap, sum(i.cost for i in primary), rng
            )
            if alt is not None:
                items.append(alt)
    return items


def shared_items(
    df: pd.DataFrame, status: pd.DataFrame, ctxs: dict[str, CommuneCtx], rng: np.random.Generator
) -> list[Item]:
    """Inter-commune roads, irrigation systems and water schemes serving 2-3 communes of a district.

    Each serves part of every served commune's gap; it costs 75-95 % of the local works it replaces.
    """
    gaps = status.set_index(["commune_code", "criterion_code"])["gap"]
    items: list[Item] = []
    for district in sorted(df["district"].unique()):
        codes = df.loc[df["district"] == district, "code"].tolist()
        for crit in SHARED_CRITERIA:
            cands = [c for c in codes if gaps[(c, crit)] > 0]
            rng.shuffle(cands)
            cands = cands[: int(len(cands) * SHARED_GROUP_SHARE)]
            while len(cands) >= 2:
                size = 3 if len(cands) >= 3 and rng.random() < 0.4 else 2
                group, cands = sorted(cands[:size]), cands[size:]
                items.append(shared_item(crit, group, gaps, ctxs, rng))
    return items


def shared_item(
    crit: str,
    group: list[str],
    gaps: pd.Series,
    ctxs: dict[str, CommuneCtx],
    rng: np.random.Generator,
) -> Item:
    """One shared work for criterion ``crit`` serving the communes in ``group``."""
    effects, local_cost = [], 0.0
    for code in group:
        ctx, gap = ctxs[code], float(gaps[(code, crit)])
        amount = round(gap * uniform(rng, 0.4, 1.0), 1 if crit == "transport" else 2)
        amount = min(max(amount, 0.1), gap)
        effects.append((code, crit, amount))
        if crit == "transport":
            local_cost += amount * road_cost_per_km(ctx, rng)
        elif crit == "irrigation":
            local_cost += amount * uniform(rng, 420, 650) * ctx.rf
        else:
            local_cost += max(3_000.0, amount * ctx.households / 100 * 45 * ctx.rf)
    cost = local_cost * uniform(rng, *SHARED_DISCOUNT)
    names = DASH.join(ctxs[c].short for c in group)
    if crit == "transport":
        km = sum(a for _, _, a in effects)
        name, category = f"Đường liên xã {names} ({fmt_vn(km)} km)", "road"
    elif crit == "irrigation":
        name, category = f"Hệ thống thủy lợi liên xã {names}", "irrigation"
    else:
        name, category = f"Công trình cấp nước sinh hoạt liên xã {names}", "water"
    duration = 2 if cost < 15_000 else 3
    return Item(
        name,
        "infrastructure",
        category,
        cost,
        duration,
        "shared",
        effects,
        earliest_year=SHARED_EARLIEST_YEAR,
    )


MAINTENANCE = {  # criterion -> (name, kind, category, cost range, amount range in its unit)
    "transport": (
        "Duy tu, bảo dưỡng {a} km đường giao thông nông thôn",
        "infrastructure",
        "road",
        (300, 600),
        (2, 6),
    ),
    "irrigation": (
        "Sửa chữa, nạo vét công trình thủy lợi",
        "infrastructure",
        "irrigation",
        (500, 2_000),
        (2, 5),
    ),
    "environment": (
        "Sửa chữa, bảo dưỡng công trình cấp nước sinh hoạt",
        "infrastructure",
        "water",
        (500, 2_500),
        (3, 8),
    ),
    "cultural_facilities": (
        "Sửa chữa nhà văn hóa, sân thể thao",
        "infrastructure",
        "culture",
        (300, 1_000),
        (1, 1),
    ),
    "schools": (
        "Sửa chữa, chống xuống cấp phòng học",
        "infrastructure",
        "school",
        (800, 2_500),
        (1, 1),
    ),
    "electricity": (
        "Cải tạo lưới điện hạ thế nông thôn",
        "infrastructure",
        "power",
        (800, 2_500),
        (2, 5),
    ),
    "income": (
        "Duy trì liên kết chuỗi giá trị, hỗ trợ tiêu thụ sản phẩm OCOP",
        "livelihood",
        "value_chain",
        (500, 1_500),
        (1, 3),
    ),
    "poverty": (
        "Hỗ trợ sinh kế chống tái nghèo cho hộ cận nghèo",
        "livelihood",
        "livestock",
        (500, 1_500),
        (1, 3),
    ),
    "labour": (
        "Đào tạo nghề duy trì tỷ lệ lao động qua đào tạo",
        "livelihood",
        "training",
        (200, 600),
        (1, 3),
    ),
    "housing": ("Hỗ trợ sửa chữa nhà ở xuống cấp", "livelihood", "housing", (200, 800), (3, 10)),
}


def maintenance_items(
    status: pd.DataFrame, ctxs: dict[str, CommuneCtx], rng: np.random.Generator
) -> list[Item]:
    """One maintenance item (maintenance=true) per at-risk criterion; its effect names what it
    keeps, with an amount in the criterion's unit (the size of the work)."""
    items = []
    for row in status[status["at_risk"]].itertuples(index=False):
        ctx = ctxs[row.commune_code]
        name, kind, category, (clo, chi), (alo, ahi) = MAINTENANCE[row.criterion_code]
        amount = int(rng.integers(alo, ahi + 1))
        cost = uniform(rng, clo, chi) * (amount if row.criterion_code == "transport" else 1)
        items.append(
            Item(
                f"{name.format(a=amount)}{DASH}{ctx.name}",
                kind,
                category,
                cost,
                1,
                "maintenance",
                [(ctx.code, row.criterion_code, amount)],
                maintenance=True,
            )
        )
    return items


def tables_from_items(items: list[Item]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """investments and investment_effects tables, codes INV00001... in generation order."""
    inv_rows, eff_rows = [], []
    for i, item in enumerate(items, start=1):
        code = f"INV{i:05d}"
        inv_rows.append(
            {
                "code": code,
                "name": item.name,
                "kind": item.kind,
                "category": item.category,
                "cost": max(1, round(item.cost)),
                "duration_years": item.duration,
                "maintenance": item.maintenance,
                "earliest_year": item.earliest_year,
            }
        )
        for commune, criterion, amount in item.effects:
            eff_rows.append(
                {
                    "investment_code": code,
                    "commune_code": commune,
                    "criterion_code": criterion,
                    "amount": round(amount, 2),
                }
            )
    return pd.DataFrame(inv_rows), pd.DataFrame(eff_rows)


# =============================================================================================
# Funding sources, budgets, dataset
# =============================================================================================
SOURCE_COLUMNS = (  # docs/data-format.md, funding_sources.csv
    "code",
    "name_vi",
    "name_en",
    "kind",
    "eligible_kinds",
    "eligible_categories",
    "eligible_regions",
    "eligible_flags",
    "max_share",
    "max_poverty_rate",
)
SOURCES = (  # domain.md, "Funding sources"; cells left out are empty (no restriction)
    {
        "code": "central",
        "name_vi": "Ngân sách trung ương (CTMTQG xây dựng nông thôn mới)",
        "name_en": "Central budget (NTM national target programme)",
        "kind": "grant",
    },
    {
        "code": "provincial",
        "name_vi": "Ngân sách địa phương (tỉnh, huyện, xã)",
        "name_en": "Local budget (province, districts, communes)",
        "kind": "grant",
    },
    {
        "code": "poverty_programme",
        "name_vi": "Vốn lồng ghép CTMTQG giảm nghèo bền vững",
        "name_en": "Integrated: sustainable poverty reduction programme",
        "kind": "grant",
        "eligible_kinds": "livelihood",
        "eligible_categories": "livestock;value_chain;training;housing",
    },
    {
        "code": "ethnic_minority",
        "name_vi": "Vốn lồng ghép CTMTQG phát triển KT-XH vùng đồng bào DTTS và miền núi",
        "name_en": "Integrated: ethnic-minority and mountain areas programme",
        "kind": "grant",
        "eligible_kinds": "infrastructure;livelihood",
        "eligible_flags": "extremely_difficult",  # every Region III commune has this flag
    },
    {
        "code": "policy_credit",
        "name_vi": "Vốn tín dụng chính sách (Ngân hàng Chính sách xã hội)",
        "name_en": "Policy credit (Vietnam Bank for Social Policies)",
        "kind": "credit",
        "eligible_kinds": "livelihood",  # household loans, not public works
        "eligible_categories": "livestock;value_chain;housing;water",
        "max_share": 0.5,  # assumption: loans co-finance household support
    },
    {
        "code": "enterprises",
        "name_vi": "Doanh nghiệp, hợp tác xã (xã hội hóa)",
        "name_en": "Enterprises and cooperatives",
        "kind": "contribution",
        "eligible_categories": "market;water;value_chain",
        "max_share": 0.5,
    },
    {
        "code": "people",
        "name_vi": "Nhân dân đóng góp",
        "name_en": "People's contributions",
        "kind": "contribution",
        "eligible_categories": "road;culture",
        "max_share": 0.15,
        "max_poverty_rate": 0.25,
    },
)


def funding_sources() -> pd.DataFrame:
    """The seven funding sources with their eligibility rules."""
    return pd.DataFrame(list(SOURCES), columns=list(SOURCE_COLUMNS))


def budgets() -> pd.DataFrame:
    """Money per source and year (million VND) from ``BUDGETS_TY``."""
    rows = [
        {"source_code": source, "year": year, "amount": amount * 1_000}
        for source, amounts in BUDGETS_TY.items()
        for year, amount in zip(PLAN_YEARS, amounts, strict=True)
    ]
    return pd.DataFrame(rows)


DESCRIPTION = (
    "188 rural communes of Sơn La at the start of 2021 (real codes, names and districts). "
    "Regions, flags, population, poverty, criterion status, gaps, investment items, funding rules "
    "and budgets are synthetic, generated by data/build_son_la_2021.py (seed {seed}) and "
    "calibrated to provincial aggregates: 54 communes at standard (5 advanced), 12.9 criteria met "
    "on average, 21.66 % multidimensional poverty (population-weighted). Budgets are an "
    "assumption (1,250 tỷ central NTM money over 2021-2025). Not official data."
)
SOURCE = (
    "Commune list: vietnam_provinces 0.6.0 (General Statistics Office codes, 2021). Calibration "
    "figures and unit costs: Sơn La provincial resolutions and reports on the NTM programme "
    "2021-2025 as summarised in the project's domain reference (shared/domain.md)."
)


def dataset_table() -> pd.DataFrame:
    """Key/value description of the package."""
    rows = [
        ("name", "Sơn La 2021"),
        ("province", PROVINCE_NAME),
        ("base_year", str(BASE_YEAR)),
        ("criteria_set", CRITERIA_SET),
        ("description", DESCRIPTION.format(seed=SEED)),
        ("source", SOURCE),
    ]
    return pd.DataFrame(rows, columns=["key", "value"])


# =============================================================================================
# Output
# =============================================================================================
def csv_cell(value: object) -> str:
    """One cell as text: booleans true/false, numbers without spurious decimals, missing empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, int | float | np.integer | np.floating):
        return fmt_number(float(value))
    return str(value)


def to_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table with every cell rendered by ``csv_cell``."""
    return pd.DataFrame({col: [csv_cell(v) for v in df[col].tolist()] for col in df.columns})


def write_package(tables: dict[str, pd.DataFrame], out_dir: Path = OUT_DIR) -> None:
    """Write each table as ``<name>.csv`` (UTF-8 without BOM, comma, LF line endings)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        to_csv_frame(df).to_csv(
            out_dir / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n"
        )


# =============================================================================================
# Calibration report and assertions
# =============================================================================================
def commune_needs(
    investments: pd.DataFrame, effects: pd.DataFrame, roles: list[str], commune_codes: pd.Series
) -> pd.Series:
    """Cost to standard of each commune: total cost of its primary (local) items."""
    primary = investments.loc[np.array(roles) == "primary", ["code", "cost"]]
    owner = effects.drop_duplicates("investment_code").set_index("investment_code")["commune_code"]
    need = primary.assign(commune=primary["code"].map(owner)).groupby("commune")["cost"].sum()
    return need.reindex(commune_codes, fill_value=0)


def greedy_reach(needs: pd.Series, money: float) -> int:
    """How many communes cheapest-first fits in ``money`` (an indicative upper bound)."""
    return int((needs.sort_values().cumsum() <= money).sum())


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Weighted mean of ``values``."""
    return float((values * weights).sum() / weights.sum())


def calibration_figures(
    communes: pd.DataFrame,
    status: pd.DataFrame,
    investments: pd.DataFrame,
    effects: pd.DataFrame,
    roles: list[str],
    budget: pd.DataFrame,
) -> dict:
    """Every figure the generator is calibrated to, computed from the finished tables."""
    met = status.groupby("commune_code")["met"].sum().reindex(communes["code"]).to_numpy()
    standard = (communes["ntm_level"] != "none").to_numpy()
    pop = communes["population"]
    needs = commune_needs(investments, effects, roles, communes["code"])[~standard]
    ns_met = met[~standard]
    unmet = (~status["met"]).groupby(status["criterion_code"]).sum()
    return {
        "met": met,
        "mean_met": float(met.mean()),
        "n_standard": int(standard.sum()),
        "n_advanced": int((communes["ntm_level"] == "advanced").sum()),
        "n_below_10": int((met < 10).sum()),
        "n_10_14": int(((met >= 10) & (met <= 14)).sum()),
        "n_15_18": int(((met >= 15) & (met <= 18)).sum()),
        "met_by_region": pd.Series(met).groupby(communes["region"].to_numpy()).mean(),
        "unmet_freq": unmet.sort_values(ascending=False, kind="stable"),
        "poverty": weighted_mean(communes["poverty_rate"], pop),
        "income": weighted_mean(communes["income_per_capita"], pop),
        "roles": pd.Series(roles).value_counts(),
        "need_13_15": needs[(ns_met >= 13) & (ns_met <= 15)],
        "need_below_10": needs[ns_met < 10],
        "needs": needs,
        "total_need": int(needs.sum()),
        "total_budget": int(budget["amount"].sum()),
        "central": int(budget.loc[budget["source_code"] == "central", "amount"].sum()),
    }


def tỷ(amount: float) -> str:
    """Million VND as whole tỷ đồng."""
    return f"{amount / 1_000:,.0f} tỷ"


def print_figures(
    communes: pd.DataFrame,
    status: pd.DataFrame,
    investments: pd.DataFrame,
    effects: pd.DataFrame,
    fig: dict,
) -> None:
    """Print the calibration figures (quoted in data/son_la_2021/README.md)."""
    met, roles = fig["met"], fig["roles"]
    regions = communes["region"].value_counts().sort_index()
    lines = [
        "Calibration figures (Sơn La 2021, synthetic):",
        f"  communes: {len(communes)} in {communes['district'].nunique()} districts; population "
        f"{communes['population'].sum():,}; households {communes['households'].sum():,}",
        "  region: "
        + ", ".join(f"{r} {n}" for r, n in regions.items())
        + f"; border {int(communes['border'].sum())}, ATK {int(communes['atk'].sum())}, "
        f"extremely difficult {int(communes['extremely_difficult'].sum())}, "
        f"difficult villages {int(communes['difficult_villages'].sum())}",
        f"  at standard: {fig['n_standard']} (advanced {fig['n_advanced']}); "
        f"target {N_STANDARD} ({N_ADVANCED} advanced)",
        f"  criteria met: mean {fig['mean_met']:.3f} (target {MEAN_CRITERIA_MET} "
        f"± {MEAN_CRITERIA_TOL}), total {int(met.sum())} of {len(communes) * N_CRITERIA}",
        f"  communes by criteria met: <10: {fig['n_below_10']}, 10-14: {fig['n_10_14']}, "
        f"15-18: {fig['n_15_18']}, 19: {int((met == N_CRITERIA).sum())}; min {int(met.min())}",
        "  mean criteria met by region: "
        + ", ".join(f"{r} {v:.1f}" for r, v in fig["met_by_region"].items()),
        "  times unmet: " + ", ".join(f"{c} {n}" for c, n in fig["unmet_freq"].items()),
        f"  poverty rate (population-weighted): {fig['poverty']:.4f} "
        f"(target {POVERTY_RATE_TARGET}); communes {communes['poverty_rate'].min():.4f}"
        f"-{communes['poverty_rate'].max():.4f}",
        f"  income per capita (population-weighted): {fig['income']:.1f} million VND; "
        f"communes {communes['income_per_capita'].min()}-{communes['income_per_capita'].max()}",
        f"  at-risk criteria: {int(status['at_risk'].sum())}",
        f"  items: {len(investments)} ("
        + ", ".join(f"{r} {n}" for r, n in roles.items())
        + f"); effects {len(effects)}; infrastructure "
        f"{int((investments['kind'] == 'infrastructure').sum())}, livelihood "
        f"{int((investments['kind'] == 'livelihood').sum())}",
    ]
    for label, needs, target in (
        ("with 13-15 criteria", fig["need_13_15"], NEED_13_15),
        ("below 10 criteria", fig["need_below_10"], NEED_BELOW_10),
    ):
        lines.append(
            f"  cost to standard, communes {label} (n={len(needs)}): mean "
            f"{tỷ(needs.mean())}, median {tỷ(needs.median())}, range {tỷ(needs.min())}"
            f"-{tỷ(needs.max())} (target mean {tỷ(target[0])}-{tỷ(target[1])})"
        )
    lines += [
        f"  total need of the {len(fig['needs'])} non-standard communes: "
        f"{tỷ(fig['total_need'])}; budget 2021-2025: {tỷ(fig['total_budget'])} (central "
        f"{tỷ(fig['central'])}); need / budget = {fig['total_need'] / fig['total_budget']:.2f}",
        "  cheapest-first upper bound (ignores eligibility, yearly limits and durations): "
        f"+{greedy_reach(fig['needs'], fig['total_budget'])} communes with the 2021-2025 budget; "
        f"+{TARGET_2025 - N_STANDARD} (the 2025 target of {TARGET_2025}) would cost "
        f"{tỷ(fig['needs'].sort_values().iloc[: TARGET_2025 - N_STANDARD].sum())}",
    ]
    print("\n".join(lines))


def assert_targets(
    communes: pd.DataFrame,
    status: pd.DataFrame,
    investments: pd.DataFrame,
    effects: pd.DataFrame,
    roles: list[str],
    fig: dict,
) -> None:
    """Fail loudly when a calibration target or a format rule is not met."""
    met, role_counts = fig["met"], fig["roles"]
    standard = (communes["ntm_level"] != "none").to_numpy()
    assert fig["n_standard"] == N_STANDARD and fig["n_advanced"] == N_ADVANCED
    assert (met[standard] == N_CRITERIA).all() and (met[~standard] < N_CRITERIA).all()
    assert abs(fig["mean_met"] - MEAN_CRITERIA_MET) <= MEAN_CRITERIA_TOL, fig["mean_met"]
    assert fig["n_below_10"] >= MIN_BELOW_10 and fig["n_10_14"] >= 60
    assert 3 <= fig["n_15_18"] <= 25
    top = set(fig["unmet_freq"].index[: len(REPORTED_UNMET)])
    assert top == set(REPORTED_UNMET), fig["unmet_freq"]
    by_region = fig["met_by_region"]
    assert by_region["III"] < by_region["II"] < by_region["I"]
    assert abs(fig["poverty"] - POVERTY_RATE_TARGET) <= POVERTY_RATE_TOL, fig["poverty"]
    assert (communes.loc[standard, "poverty_rate"] <= POVERTY_THRESHOLD).all()
    assert (communes.loc[standard, "income_per_capita"] >= INCOME_THRESHOLD).all()
    assert int(communes["border"].sum()) == N_BORDER and int(communes["atk"].sum()) == N_ATK
    assert communes["population"].between(*POPULATION_RANGE).all()
    assert communes["income_per_capita"].between(*INCOME_RANGE).all()
    assert int(status["at_risk"].sum()) == N_AT_RISK == role_counts["maintenance"]
    assert (status.loc[status["met"], "gap"] == 0).all()
    assert (status.loc[~status["met"], "gap"] > 0).all()
    assert not (status["at_risk"] & ~status["met"]).any()
    assert ITEM_COUNT[0] <= len(investments) <= ITEM_COUNT[1], len(investments)
    assert SHARED_COUNT[0] <= role_counts["shared"] <= SHARED_COUNT[1]
    assert NEED_13_15[0] <= fig["need_13_15"].mean() <= NEED_13_15[1]
    assert NEED_BELOW_10[0] <= fig["need_below_10"].mean() <= NEED_BELOW_10[1]
    assert NEED_TO_BUDGET[0] <= fig["total_need"] / fig["total_budget"] <= NEED_TO_BUDGET[1]
    check_coverage(status, investments, effects, roles)


def check_coverage(
    status: pd.DataFrame, investments: pd.DataFrame, effects: pd.DataFrame, roles: list[str]
) -> None:
    """Every gap is closed exactly (in hundredths) by its primary items; effects are unique."""
    assert not effects.duplicated(["investment_code", "commune_code", "criterion_code"]).any()
    assert investments["code"].is_unique and (investments["cost"] > 0).all()
    assert set(investments["code"]) == set(effects["investment_code"])
    primary_codes = set(investments.loc[np.array(roles) == "primary", "code"])
    eff = effects[effects["investment_code"].isin(primary_codes)]
    closed = (
        (eff["amount"] * 100).round().groupby([eff["commune_code"], eff["criterion_code"]]).sum()
    )
    unmet = status[~status["met"]].set_index(["commune_code", "criterion_code"])["gap"]
    assert len(closed) == len(unmet)
    assert ((unmet * 100).round() == closed.reindex(unmet.index)).all()


# =============================================================================================
def main() -> None:
    """Generate, check and write the package; print the calibration figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help="folder to write (default: %(default)s)"
    )
    out_dir = parser.parse_args().out
    rng = np.random.default_rng(SEED)
    communes = assign_levels(assign_profile(load_real_communes(), rng))
    counts = assign_met_counts(communes, rng)
    unmet = choose_unmet(communes, counts, rng)
    communes = assign_indicators(communes, unmet, rng)
    status = build_status(communes, unmet, rng)

    ctxs = commune_contexts(communes, rng)
    items = (
        local_items(status, ctxs, rng)
        + shared_items(communes, status, ctxs, rng)
        + maintenance_items(status, ctxs, rng)
    )
    investments, effects = tables_from_items(items)
    roles = [item.role for item in items]
    budget = budgets()

    communes_out = communes.assign(unit_type="commune")[list(COMMUNE_COLUMNS)]
    figures = calibration_figures(communes, status, investments, effects, roles, budget)
    print_figures(communes, status, investments, effects, figures)
    assert_targets(communes, status, investments, effects, roles, figures)
    tables = {
        "dataset": dataset_table(),
        "communes": communes_out,
        "criteria_status": status,
        "investments": investments,
        "investment_effects": effects,
        "funding_sources": funding_sources(),
        "budgets": budget,
    }
    write_package(tables, out_dir)
    print(f"Wrote {out_dir}/ ({len(tables)} tables)")


if __name__ == "__main__":
    main()
