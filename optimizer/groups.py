"""Communes by group (district, region, border, extremely difficult): where they stand today and
the least money that brings each commune below the floor up to the floor and to standard.

The money comes from the engine's inputs (``optimizer.inputs.prepare``): to standard it is
``optimizer.explain.costs_to_complete``; to the floor it is the same kind of block model with one
binary per criterion the commune can still change, of which enough must be met:

    min Σ_c Σ_i cost_i·x[c,i]
    s.t. Σ_i (a[i,c,k]/gap[c,k])·x[c,i] ≥ met[c,k]   for every closable gap (c, k)
         Σ_{i maintenance} x[c,i] ≥ met[c,k]          for every at-risk criterion (c, k)
         fixed[c] + Σ_k met[c,k] ≥ floor              for every commune below the floor

Blocks share no constraint, so the optimum of the sum is the sum of the per-commune optima. Each
commune is costed alone (a shared item at its full cost), so a group's total is an upper bound on
what the group needs together.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import pandas as pd
import pulp

from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.explain import COVER_SLACK, costs_to_complete
from optimizer.inputs import Inputs, prepare
from optimizer.names import name
from optimizer.solver import SolverError, make_backend, solve_model


class Grouping(StrEnum):
    """What communes can be grouped by: the district (packages before the 2025 reform), the
    region (the commune group of the thresholds), or a flag."""

    DISTRICT = "district"
    REGION = "region"
    BORDER = "border"
    EXTREMELY_DIFFICULT = "extremely_difficult"
    ATK = "atk"


COMMUNE_COLUMNS = (
    "commune",
    "name",
    "group",
    "criteria_met",
    "below_floor",
    "at_standard",
    "to_floor",
    "to_standard",
)
GROUP_COLUMNS = (
    "group",
    "communes",
    "at_standard",
    "at_floor",
    "below_floor",
    "mean_criteria_met",
    "to_floor",
    "to_standard",
    "unreachable",
)


def groupings(dataset: Dataset) -> tuple[Grouping, ...]:
    """The groupings the data offers: by district only when communes have one; a flag only when
    some communes carry it."""
    offered = []
    if any(c.district for c in dataset.communes):
        offered.append(Grouping.DISTRICT)
    offered.append(Grouping.REGION)
    for flag in (Grouping.BORDER, Grouping.EXTREMELY_DIFFICULT, Grouping.ATK):
        if any(getattr(c, flag.value) for c in dataset.communes):
            offered.append(flag)
    return tuple(offered)


def group_of(commune, grouping: Grouping) -> str:
    """The commune's group: its district or region, or ``yes``/``no`` for a flag."""
    if grouping == Grouping.DISTRICT:
        return commune.district or ""
    if grouping == Grouping.REGION:
        return commune.region.value
    return "yes" if getattr(commune, grouping.value) else "no"


def costs_to_floor(inputs: Inputs, communes: Iterable[str]) -> dict[str, float | None]:
    """Commune → the least cost (million VND) of items that bring it to the floor alone; None
    when even every item cannot (too few criteria it can still change). 0 at the floor today."""
    result: dict[str, float | None] = {}
    blocks: dict[str, int] = {}
    for c in communes:
        fixed = inputs.fixed_met.get(c, 0)
        needed = inputs.floor - fixed
        open_pairs = inputs.open_pairs.get(c, ())
        if needed <= 0:
            result[c] = 0.0
        elif len(open_pairs) < needed:
            result[c] = None
        else:
            blocks[c] = needed
    if not blocks:
        return result
    prob = pulp.LpProblem("cost_to_floor", pulp.LpMinimize)
    x: dict[tuple[str, str], pulp.LpVariable] = {}
    cost_terms = []
    for c, needed in sorted(blocks.items()):
        met = []
        for pair in inputs.open_pairs[c]:
            m = prob.add_variable(name("met", *pair), 0, 1, pulp.LpBinary)
            met.append(m)
            gap = inputs.gap.get(pair)
            terms = []
            for i, amount in inputs.cover[pair]:
                if (c, i) not in x:
                    x[(c, i)] = prob.add_variable(name("x", c, i), 0, 1, pulp.LpBinary)
                    cost_terms.append((x[(c, i)], inputs.cost[i]))
                terms.append((x[(c, i)], 1.0 if gap is None else amount / gap))
            prob.addConstraint(
                pulp.LpAffineExpression([*terms, (m, -(1 - COVER_SLACK))]) >= 0,
                name("covers", *pair),
            )
        prob.addConstraint(
            pulp.LpAffineExpression([(m, 1.0) for m in met]) >= needed, name("floor", c)
        )
    settings = inputs.scenario.solver.model_copy(update={"relative_gap": 0.0})
    cost = pulp.LpAffineExpression(cost_terms)
    if not solve_model(prob, cost, False, make_backend(settings)).proven_optimal:
        raise SolverError("the cost-to-floor model was not solved to optimality")
    for c in blocks:
        result[c] = round(
            sum(inputs.cost[i] for (cc, i), v in x.items() if cc == c and (v.value() or 0) > 0.5),
            6,
        )
    return result


def below_floor_costs(dataset: Dataset, scenario: Scenario, grouping: Grouping) -> pd.DataFrame:
    """One row per counted commune below the scenario's floor today: its group, criteria met, and
    the least money (million VND) to bring it to the floor and to standard (None: not reachable
    with the package's items). Sorted by group, then fewest criteria met."""
    inputs = prepare(dataset, scenario)
    size = dataset.criteria.size
    unmet = {c.code: 0 for c in dataset.communes}
    for s in dataset.status:
        unmet[s.commune_code] += not s.met
    below = [
        c
        for c in dataset.communes
        if c.code in inputs.counted and size - unmet[c.code] < inputs.floor
    ]
    to_floor = costs_to_floor(inputs, [c.code for c in below])
    to_standard = costs_to_complete(inputs)
    rows = [
        {
            "commune": c.code,
            "name": c.name,
            "group": group_of(c, grouping),
            "criteria_met": size - unmet[c.code],
            "below_floor": True,
            "at_standard": False,
            "to_floor": to_floor.get(c.code),
            "to_standard": to_standard[c.code][0] if c.code in to_standard else None,
        }
        for c in below
    ]
    table = pd.DataFrame(rows, columns=list(COMMUNE_COLUMNS))
    return table.sort_values(["group", "criteria_met", "commune"], ignore_index=True)


def group_table(
    dataset: Dataset, scenario: Scenario, grouping: Grouping, below: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per group of counted communes: how many, at standard, at the floor, below it, mean
    criteria met, and the least money to bring its below-floor communes to the floor and to
    standard (each commune alone, summed), with how many of them cannot get there at all."""
    below = below_floor_costs(dataset, scenario, grouping) if below is None else below
    inputs_floor = scenario.floor_for(dataset.criteria.size)
    counted = {
        c.code
        for c in dataset.communes
        if c.unit_type.value == "commune" or scenario.policies.include_wards
    }
    size = dataset.criteria.size
    unmet = {c.code: 0 for c in dataset.communes}
    for s in dataset.status:
        unmet[s.commune_code] += not s.met
    communes = pd.DataFrame(
        [
            {"group": group_of(c, grouping), "met": size - unmet[c.code]}
            for c in dataset.communes
            if c.code in counted
        ],
        columns=["group", "met"],
    )
    rows = []
    for group, part in communes.groupby("group", sort=True):
        mine = below[below["group"] == group]
        unreachable = int(mine["to_standard"].isna().sum())
        rows.append(
            {
                "group": group,
                "communes": len(part),
                "at_standard": int((part["met"] == size).sum()),
                "at_floor": int((part["met"] >= inputs_floor).sum()),
                "below_floor": int((part["met"] < inputs_floor).sum()),
                "mean_criteria_met": float(part["met"].mean()),
                "to_floor": float(mine["to_floor"].fillna(0).sum()),
                "to_standard": float(mine["to_standard"].fillna(0).sum()),
                "unreachable": unreachable,
            }
        )
    return pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
