"""Where communes stand today: pure functions from a Dataset to tidy pandas tables.

The Data page of the app, reports and tests all read these tables; none of them counts criteria on
its own. Every function takes the dataset (or a commune table made from it) and returns a new
DataFrame; nothing is cached or changed in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from models.commune import CommuneFlag, UnitType
from models.criteria import CriteriaSet
from models.dataset import Dataset
from models.scenario import default_floor as scenario_default_floor

COMMUNE_COLUMNS = (
    "code",
    "name",
    "label",
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
    "criteria_met",
    "criteria_unmet",
    "at_standard",
    "unmet_codes",
)
"""Columns of :func:`commune_table`, in order."""


def default_floor(criteria: CriteriaSet) -> int:
    """The default floor of criteria met, the same rule scenarios use (15 of 19, scaled)."""
    return scenario_default_floor(criteria.size)


def commune_table(dataset: Dataset) -> pd.DataFrame:
    """One row per commune (index: commune code) with its attributes and criteria counts.

    ``label`` is the commune's name, followed by its district where two communes share a name, so
    that charts can use it as a unique axis value. ``unmet_codes`` lists the criteria not met, in
    the order of the set.
    """
    unmet: dict[str, list[str]] = {c.code: [] for c in dataset.communes}
    for status in dataset.status:
        if not status.met:
            unmet[status.commune_code].append(status.criterion_code)
    order = {code: index for index, code in enumerate(dataset.criteria.codes)}
    size = dataset.criteria.size
    name_counts = pd.Series([c.name for c in dataset.communes]).value_counts()
    rows = []
    for commune in dataset.communes:
        missing = tuple(sorted(unmet[commune.code], key=order.__getitem__))
        shared = name_counts[commune.name] > 1
        rows.append(
            {
                "code": commune.code,
                "name": commune.name,
                "label": _unique_label(commune.name, commune.district, commune.code, shared),
                "district": commune.district or "",
                "unit_type": commune.unit_type.value,
                "region": commune.region.value,
                "population": commune.population,
                "households": commune.households,
                "poverty_rate": commune.poverty_rate,
                "income_per_capita": commune.income_per_capita,
                "ntm_level": commune.ntm_level.value,
                "border": commune.border,
                "atk": commune.atk,
                "extremely_difficult": commune.extremely_difficult,
                "difficult_villages": commune.difficult_villages,
                "criteria_met": size - len(missing),
                "criteria_unmet": len(missing),
                "at_standard": not missing,
                "unmet_codes": missing,
            }
        )
    table = pd.DataFrame(rows, columns=list(COMMUNE_COLUMNS))
    labels = table["label"]
    if labels.duplicated().any():  # same name and district: fall back to the official code
        table.loc[labels.duplicated(keep=False), "label"] = table["name"] + " · " + table["code"]
    return table.set_index("code", drop=False).rename_axis(None)


def _unique_label(name: str, district: str | None, code: str, shared: bool) -> str:
    if not shared:
        return name
    return f"{name} ({district})" if district else f"{name} · {code}"


def district_names(table: pd.DataFrame) -> list[str]:
    """District names present in a commune table, sorted, without the empty one."""
    return sorted(d for d in table["district"].unique() if d)


def ward_count(table: pd.DataFrame) -> int:
    """How many rows of a commune table are wards (kept, but outside commune targets)."""
    return int((table["unit_type"] == UnitType.WARD.value).sum())


def select_communes(
    table: pd.DataFrame,
    districts: Iterable[str] = (),
    flags: Iterable[CommuneFlag | str] = (),
    include_wards: bool = False,
) -> pd.DataFrame:
    """Rows of a commune table in any of ``districts`` and carrying any of ``flags``.

    An empty ``districts`` or ``flags`` means no restriction. Wards are left out unless
    ``include_wards``: they do not count towards commune targets.
    """
    keep = pd.Series(True, index=table.index)
    if not include_wards:
        keep &= table["unit_type"] == UnitType.COMMUNE.value
    chosen_districts = list(districts)
    if chosen_districts:
        keep &= table["district"].isin(chosen_districts)
    chosen_flags = [CommuneFlag(f).value for f in flags]
    if chosen_flags:
        keep &= table[chosen_flags].any(axis=1)
    return table[keep]


@dataclass(frozen=True)
class StatusKpis:
    """Headline figures of a selection of communes."""

    communes: int
    """Communes in the selection."""
    at_standard: int
    """Communes meeting every criterion of the set."""
    mean_criteria_met: float
    """Mean number of criteria met (NaN for an empty selection)."""
    floor: int
    """The floor the next figure counts against."""
    below_floor: int
    """Communes meeting fewer than ``floor`` criteria."""

    @property
    def at_standard_share(self) -> float:
        """Share of the selection at standard (NaN for an empty selection)."""
        return self.at_standard / self.communes if self.communes else float("nan")


def status_kpis(table: pd.DataFrame, floor: int) -> StatusKpis:
    """Headline figures of a commune table (as selected by :func:`select_communes`)."""
    met = table["criteria_met"]
    return StatusKpis(
        communes=len(table),
        at_standard=int(table["at_standard"].sum()),
        mean_criteria_met=float(met.mean()) if len(table) else float("nan"),
        floor=floor,
        below_floor=int((met < floor).sum()),
    )


def met_distribution(table: pd.DataFrame, criteria: CriteriaSet) -> pd.DataFrame:
    """How many communes meet each number of criteria, from the lowest count seen up to all.

    Columns: ``criteria_met`` (every integer in the range, none skipped) and ``communes``.
    """
    if table.empty:
        return pd.DataFrame({"criteria_met": pd.Series(dtype=int), "communes": []}).astype(int)
    counts = table["criteria_met"].value_counts()
    values = range(int(table["criteria_met"].min()), criteria.size + 1)
    return pd.DataFrame(
        {"criteria_met": list(values), "communes": [int(counts.get(v, 0)) for v in values]}
    )


def unmet_by_criterion(table: pd.DataFrame, criteria: CriteriaSet) -> pd.DataFrame:
    """For each criterion of the set (in order): how many communes of the table do not meet it.

    Columns: ``criterion_code``, ``number``, ``name_vi``, ``name_en``, ``kind``, ``communes_unmet``.
    """
    counts = pd.Series([code for codes in table["unmet_codes"] for code in codes]).value_counts()
    return pd.DataFrame(
        [
            {
                "criterion_code": c.code,
                "number": c.number,
                "name_vi": c.name_vi,
                "name_en": c.name_en,
                "kind": c.kind.value,
                "communes_unmet": int(counts.get(c.code, 0)),
            }
            for c in criteria.criteria
        ]
    )


def fewest_met_first(table: pd.DataFrame) -> pd.DataFrame:
    """A commune table ordered by criteria met (fewest first), then by district and name."""
    return table.sort_values(["criteria_met", "district", "name"], kind="stable")


def below_floor(table: pd.DataFrame, floor: int) -> pd.DataFrame:
    """Communes meeting fewer than ``floor`` criteria, fewest first, then by district and name."""
    return fewest_met_first(table[table["criteria_met"] < floor])


def status_matrix(dataset: Dataset, communes: Iterable[str] | None = None) -> pd.DataFrame:
    """Commune × criterion table of booleans (met), rows in the order given, columns by the set.

    ``communes`` are commune codes; None means every commune of the dataset.
    """
    codes = [c.code for c in dataset.communes] if communes is None else list(communes)
    met = dataset.status_by_key
    return pd.DataFrame(
        [[met[(commune, k)].met for k in dataset.criteria.codes] for commune in codes],
        index=pd.Index(codes, name="commune_code"),
        columns=pd.Index(dataset.criteria.codes, name="criterion_code"),
    )


def status_long(dataset: Dataset, communes: Iterable[str] | None = None) -> pd.DataFrame:
    """The same status in long form, one row per commune × criterion (communes in the given order).

    Columns: ``commune_code``, ``criterion_code``, ``number``, ``met``, ``gap``, ``unit``,
    ``at_risk``.
    """
    codes = [c.code for c in dataset.communes] if communes is None else list(communes)
    status = dataset.status_by_key
    rows = []
    for commune in codes:
        for criterion in dataset.criteria.criteria:
            s = status[(commune, criterion.code)]
            rows.append(
                {
                    "commune_code": commune,
                    "criterion_code": criterion.code,
                    "number": criterion.number,
                    "met": s.met,
                    "gap": s.gap,
                    "unit": criterion.unit,
                    "at_risk": s.at_risk,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["commune_code", "criterion_code", "number", "met", "gap", "unit", "at_risk"],
    )
