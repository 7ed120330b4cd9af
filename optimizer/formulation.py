"""The mixed-integer programme: variables, one function per constraint family, objectives.

Notation (years t ∈ T, horizon end T̄, items i, sources s, communes c, criteria k):
  fund[i,t] ∈ {0,1}  item i starts in year t          pay[g,s,t] ≥ 0  source s's money for the
  items of payment class g (same payers and duration) started in year t; see Inputs.pay_class
  met[c,k,t] ∈ {0,1} criterion k met in c by year t    std[c,t] ∈ {0,1} commune c at standard
  floor[c] ∈ {0,1}   commune c meets the criteria floor at T̄
  done[i,t] = Σ_{t' : t'+d_i-1 ≤ t} fund[i,t']   (an item counts from its completion year)
Reformulations that keep the same plans and values: part[g,s,t,b] (payment rows in blocks,
define_payment) and, on large models, cover[c,k,S,t] (minimal covers, define_pair_covers).
``build(inputs)`` returns an unsolved Formulation that tests can inspect; solving is in solve.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

import pulp

from models.scenario import Objective
from optimizer.inputs import COVERAGE_TOLERANCE, Inputs
from optimizer.names import name

Expr = pulp.LpAffineExpression


@dataclass
class Formulation:
    """A built, unsolved model with handles to its variables, constraints and objectives."""

    inputs: Inputs
    problem: pulp.LpProblem
    fund: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    pay: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    met: dict[tuple[str, str, int], pulp.LpVariable] = field(default_factory=dict)
    std: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    floor: dict[str, pulp.LpVariable] = field(default_factory=dict)
    constraints: dict[str, pulp.LpConstraint] = field(default_factory=dict)
    """Every constraint by name, so diagnostics and frontier sweeps can reach them."""
    budget: dict[tuple[str, int], pulp.LpConstraint] = field(default_factory=dict)
    """Budget constraints by (source, year); the right-hand side is cumulative with carry-over."""
    policy: dict[str, list[str]] = field(default_factory=dict)
    """Policy name → names of the constraints that enforce it (for diagnosis)."""
    objectives: dict[Objective, Expr] = field(default_factory=dict)
    covers: dict[tuple[str, str, int], list[tuple[pulp.LpVariable, tuple[str, ...]]]] = field(
        default_factory=dict
    )
    """Per pair and year with cover variables: each minimal cover's variable and its items."""
    extra: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)
    """With an elastic budget: extra money per (source, year) that the diagnosis minimises."""

    def add(self, constraint: pulp.LpConstraint, cname: str, policy: str | None = None) -> None:
        """Add a named constraint, optionally as part of a named policy."""
        self.problem.addConstraint(constraint, cname)
        self.constraints[cname] = constraint
        if policy is not None:
            self.policy.setdefault(policy, []).append(cname)

    def done(self, item: str, year: int) -> Expr:
        """1 when ``item`` is complete by ``year``."""
        return Expr([(self.fund[(item, t)], 1.0) for t in self.inputs.done_starts(item, year)])

    def spend(self, source: str, year: int) -> Expr:
        """Money from ``source`` paid in ``year`` (a class's duration is its items')."""
        terms = [
            (var, 1.0 / self.class_duration[g])
            for (g, s, t), var in self.pay.items()
            if s == source and t <= year <= t + self.class_duration[g] - 1
        ]
        return Expr(terms)

    def money_to(self, communes: frozenset[str], source: str | None = None) -> Expr:
        """Money (all years) attributed to ``communes`` by equal split of shared items.

        With a source, payment classes are single items (Inputs.pay_class), so the class's pay
        variables are the item's.
        """
        inp = self.inputs
        terms = []
        if source is None:
            for (i, _t), var in self.fund.items():
                part = sum(v for c, v in inp.share[i].items() if c in communes)
                if part:
                    terms.append((var, part * inp.cost[i]))
            return Expr(terms)
        for (g, s, _t), var in self.pay.items():
            if s == source:
                part = sum(v for c, v in inp.share[g].items() if c in communes)
                if part:
                    terms.append((var, part))
        return Expr(terms)

    def total_money(self, source: str | None = None) -> Expr:
        return Expr([(v, 1.0) for (_g, s, _t), v in self.pay.items() if source in (None, s)])

    @cached_property
    def class_duration(self) -> dict[str, int]:
        """Payment class → the duration its items share."""
        inp = self.inputs
        return {inp.pay_class[i]: inp.duration[i] for i in inp.items}


def complete_indicators(f: Formulation) -> None:
    """Set met, std and floor to the best values the current fund values allow.

    Indicator variables are only pushed up by the objective that counts them, so a plan found
    for one level may leave them at 0 although the plan earns them. Raising them to what the
    funded items achieve gives the next level a start as good as the plan really is.
    """
    inp = f.inputs
    done = {
        (i, t): sum((f.fund[(i, s)].varValue or 0.0) for s in inp.done_starts(i, t))
        for i in inp.items
        for t in tracked_years(inp)
    }
    for (c, k), items in _cover(inp).items():
        g = inp.gap.get((c, k), 1.0)
        for t in tracked_years(inp):
            closed = sum(a * done[(i, t)] for i, a in items)
            f.met[(c, k, t)].varValue = 1.0 if closed >= g - COVERAGE_TOLERANCE else 0.0
    for (c, k, t), options in f.covers.items():
        met = f.met[(c, k, t)].varValue
        chosen = next(
            (var for var, items in options if all(done[(i, t)] > 0.5 for i in items)), None
        )
        for var, _items in options:
            var.varValue = 1.0 if met and var is chosen else 0.0
    for (c, t), var in f.std.items():
        var.varValue = float(all(f.met[(c, k, t)].varValue for _, k in inp.open_pairs[c]))
    for c, var in f.floor.items():
        met = inp.fixed_met[c] + sum(f.met[(c, k, inp.end)].varValue for _, k in inp.open_pairs[c])
        var.varValue = float(met >= inp.floor)


def build(inputs: Inputs, elastic_budget: bool = False, covers: bool | None = None) -> Formulation:
    """Build the whole model from prepared inputs (no solving).

    With ``elastic_budget`` every budget may be exceeded by a named extra amount (diagnosis only).
    ``covers``: add the minimal-cover variables (define_pair_covers); by default only for models
    that are large (is_large). Either way the same plans are feasible.
    """
    f = Formulation(inputs, pulp.LpProblem(name("ntm", inputs.scenario.name), pulp.LpMaximize))
    define_variables(f)
    if elastic_budget:
        define_extra_money(f)
    define_one_start(f)
    define_payment(f)
    define_budget(f)
    define_disbursement(f)
    define_coverage(f)
    define_necessary_items(f)
    if covers if covers is not None else is_large(inputs):
        define_pair_covers(f)
    define_standard(f)
    define_floor(f)
    define_min_shares(f)
    define_must_reach(f)
    define_targets(f)
    define_commune_cap(f)
    define_maintenance(f)
    define_co_financing(f)
    define_committed(f)
    define_district_equity(f)
    define_objectives(f)
    return f


def define_variables(f: Formulation) -> None:
    """fund, pay (per payment class), met, std and floor variables, each named by its keys."""
    inp, prob = f.inputs, f.problem
    for i in inp.items:
        for t in inp.starts[i]:
            f.fund[(i, t)] = prob.add_variable(name("fund", i, t), 0, 1, pulp.LpBinary)
    for g, items in inp.class_items().items():
        for t in sorted({t for i in items for t in inp.starts[i]}):
            for s in inp.sources_for[items[0]]:
                f.pay[(g, s, t)] = prob.add_variable(name("pay", g, s, t), 0, None)
    years = tracked_years(inp)
    for c, pairs in inp.open_pairs.items():
        for _, k in pairs:
            for t in years:
                f.met[(c, k, t)] = prob.add_variable(name("met", c, k, t), 0, 1, pulp.LpBinary)
    named = {c for p in inp.scenario.policies.must_reach for c in p.communes}
    named |= {
        c.code
        for c in inp.dataset.communes
        if c.district in {d for p in inp.scenario.policies.must_reach for d in p.districts}
    }
    for c in [*inp.counted, *sorted(named - set(inp.counted))]:
        if c in inp.open_pairs and c in inp.can_reach_standard:
            for t in years:
                f.std[(c, t)] = prob.add_variable(name("std", c, t), 0, 1, pulp.LpBinary)
        reachable = inp.fixed_met[c] + len(inp.open_pairs.get(c, ()))
        if inp.fixed_met[c] < inp.floor <= reachable:
            f.floor[c] = prob.add_variable(name("floor", c), 0, 1, pulp.LpBinary)


def define_extra_money(f: Formulation) -> None:
    """extra[s,t] ≥ 0: money beyond the budget, only in the diagnosis of infeasible scenarios."""
    for source in f.inputs.dataset.sources:
        for t in f.inputs.years:
            key = (source.code, t)
            f.extra[key] = f.problem.add_variable(name("extra", source.code, t), 0, None)


def tracked_years(inp: Inputs) -> tuple[int, ...]:
    """Years whose criteria status the objectives or policies look at (always the horizon end)."""
    if Objective.EARLIEST_ACHIEVEMENT in inp.scenario.objectives:
        return inp.years
    wanted = {inp.end, _decision_year(inp, inp.scenario.targets.by_year)}
    wanted |= {_decision_year(inp, p.by_year) for p in inp.scenario.policies.must_reach}
    return tuple(sorted(wanted))


def define_one_start(f: Formulation) -> None:
    """once[i]: Σ_t fund[i,t] ≤ 1 — an item is funded at most once."""
    for i in f.inputs.items:
        starts = f.inputs.starts[i]
        if len(starts) > 1:
            f.add(Expr([(f.fund[(i, t)], 1.0) for t in starts]) <= 1, name("once", i))


PAY_BLOCK = 100
"""Most items in one payment row. A class with more items at a start year is paid in blocks."""


def define_payment(f: Formulation) -> None:
    """pays[g,t]: Σ_s pay[g,s,t] = Σ_{i∈g} cost_i·fund[i,t] — funded items are paid in full;
    share_cap[g,s,t]: pay[g,s,t] ≤ max_share_s · Σ_{i∈g} cost_i·fund[i,t].

    A class with more than PAY_BLOCK items at t is written in blocks b of at most PAY_BLOCK items:
    pays[g,t,b] and share_cap[g,s,t,b] on block variables part[g,s,t,b] ≥ 0, and
    pay_parts[g,s,t]: pay[g,s,t] = Σ_b part[g,s,t,b]. The same plans are feasible (a class-wide
    split can be applied to every block in proportion to its cost), but no row holds thousands of
    items: HiGHS presolve time grows steeply with row length (7 s → 0.5 s on 2,000 communes).
    """
    inp = f.inputs
    for g, items in inp.class_items().items():
        payers = inp.sources_for[items[0]]
        for t in sorted({t for i in items for t in inp.starts[i]}):
            cost = [(f.fund[(i, t)], inp.cost[i]) for i in items if (i, t) in f.fund]
            if len(cost) <= PAY_BLOCK:
                _pay_rows(f, payers, {s: f.pay[(g, s, t)] for s in payers}, cost, (g, t))
                continue
            parts: dict[str, list[pulp.LpVariable]] = {s: [] for s in payers}
            for b, first in enumerate(range(0, len(cost), PAY_BLOCK)):
                block = {
                    s: f.problem.add_variable(name("part", g, s, t, b), 0, None) for s in payers
                }
                for s, var in block.items():
                    parts[s].append(var)
                _pay_rows(f, payers, block, cost[first : first + PAY_BLOCK], (g, t, b))
            for s in payers:
                terms = [(var, 1.0) for var in parts[s]] + [(f.pay[(g, s, t)], -1.0)]
                f.add(Expr(terms) == 0, name("pay_parts", g, s, t))


def _pay_rows(
    f: Formulation,
    payers: tuple[str, ...],
    pay: dict[str, pulp.LpVariable],
    cost: list[tuple[pulp.LpVariable, float]],
    key: tuple,
) -> None:
    """pays[key]: Σ_s pay[s] = Σ cost·fund; share_cap[key,s]: pay[s] ≤ max_share_s · Σ cost·fund."""
    sources = f.inputs.dataset.source_by_code
    terms = [(pay[s], 1.0) for s in payers] + [(var, -c) for var, c in cost]
    f.add(Expr(terms) == 0, name("pays", *key))
    for s in payers:
        share = sources[s].max_share
        if share < 1.0:
            capped = [(pay[s], 1.0)] + [(var, -share * c) for var, c in cost]
            g, *rest = key
            f.add(Expr(capped) <= 0, name("share_cap", g, s, *rest))


def define_budget(f: Formulation) -> None:
    """budget[s,t]: Σ_{t'≤t} spend[s,t'] ≤ Σ_{t'≤t} B[s,t'] with carry-over, else spend[s,t] ≤ B[s,t]."""
    inp = f.inputs
    carry = inp.scenario.budgets.carry_over
    for source in inp.dataset.sources:
        s = source.code
        if not any(key[1] == s for key in f.pay):
            continue
        spent, available = Expr(), 0.0
        for t in inp.years:
            spend_t = f.spend(s, t)
            if (s, t) in f.extra:
                spend_t = spend_t - f.extra[(s, t)]
            guard = robust_protection(f, s, t)
            if carry:
                spent = spent + spend_t
                available += inp.budget.get((s, t), 0.0)
                constraint = spent + guard <= available
            else:
                constraint = spend_t + guard <= inp.budget.get((s, t), 0.0)
            f.add(constraint, name("budget", s, t))
            f.budget[(s, t)] = constraint


def robust_protection(f: Formulation, source: str, year: int) -> Expr:
    """Bertsimas-Sim protection of budget[s,t] against Γ items overrunning (empty when Γ = 0).

    The row must hold for every set S of at most Γ items costing (1 + δ_i) times their estimate,
    δ_i their category's 90th-percentile overrun: Σ_i x_i + max_{|S|≤Γ} Σ_{i∈S} δ_i·x_i ≤ B, with
    x_i the money s pays for i counted in the row. The inner maximum is an LP whose dual gives
    the linear counterpart, so the model stays a MILP:
      robust_guard[i,s,t]: q[i,s,t] + z[s,t] ≥ δ_i·x_i;  the row gains + Γ·z[s,t] + Σ_i q[i,s,t].
    """
    inp = f.inputs
    gamma = inp.scenario.robustness.gamma
    if gamma == 0 or not inp.overrun:
        return Expr()
    carry = inp.scenario.budgets.carry_over
    counted = {}
    for (g, s, start), var in f.pay.items():
        if s != source or g not in inp.overrun:  # per-item payment classes when robust
            continue
        d = f.class_duration[g]
        last = start + d - 1
        years = (min(year, last) - start + 1) if carry else int(start <= year <= last)
        if years > 0:
            counted.setdefault(g, []).append((var, years / d))
    if not counted:
        return Expr()
    z = f.problem.add_variable(name("robust_z", source, year), 0, None)
    guard = Expr([(z, float(gamma))])
    for item, terms in sorted(counted.items()):
        q = f.problem.add_variable(name("robust_q", item, source, year), 0, None)
        guard = guard + Expr([(q, 1.0)])
        delta = inp.overrun[item]
        row = [(q, 1.0), (z, 1.0)] + [(var, -delta * share) for var, share in terms]
        f.add(Expr(row) >= 0, name("robust_guard", item, source, year), "robust_budget")
    return guard


def define_disbursement(f: Formulation) -> None:
    """disbursement[s,t]: spend[s,t] ≤ r_t·(Σ_{t'≤t} B[s,t'] − Σ_{t'<t} spend[s,t']) — only a share
    r_t of the money on hand (this year's budget plus what was carried over) is paid out in t."""
    inp = f.inputs
    budgets = inp.scenario.budgets
    for source in inp.dataset.sources:
        s = source.code
        if not any(key[1] == s for key in f.pay):
            continue
        earlier, available, extra = Expr(), 0.0, Expr()
        for t in inp.years:
            rate = budgets.disbursement(t)
            spend_t = f.spend(s, t)
            available += inp.budget.get((s, t), 0.0)
            if (s, t) in f.extra:  # diagnosis only: extra money is money on hand too
                extra = extra + f.extra[(s, t)]
            if rate is not None:
                if budgets.carry_over:
                    lhs = spend_t + rate * earlier - rate * extra
                    f.add(lhs <= rate * available, name("disbursement", s, t), "disbursement")
                else:
                    this_year = f.extra[(s, t)] if (s, t) in f.extra else Expr()
                    lhs = spend_t - rate * this_year
                    limit = rate * inp.budget.get((s, t), 0.0)
                    f.add(lhs <= limit, name("disbursement", s, t), "disbursement")
            earlier = earlier + spend_t


def define_coverage(f: Formulation) -> None:
    """covers[c,k,t]: Σ_i a[i,c,k]·done[i,t] ≥ gap[c,k]·met[c,k,t]; an at-risk pair is kept by any
    one completed maintenance item (a = 1, gap 1)."""
    inp = f.inputs
    years = tracked_years(inp)
    for (c, k), items in _cover(inp).items():
        g = inp.gap.get((c, k), 1.0)
        scale = 1.0 / g
        for t in years:
            terms: dict[pulp.LpVariable, float] = defaultdict(float)
            for i, amount in items:
                for start in inp.done_starts(i, t):
                    terms[f.fund[(i, start)]] += amount * scale
            terms[f.met[(c, k, t)]] -= 1.0
            f.add(Expr(list(terms.items())) >= 0, name("covers", c, k, t))


def _cover(inp: Inputs) -> dict[tuple[str, str], tuple[tuple[str, float], ...]]:
    """Items and amounts per open pair; for at-risk pairs every maintenance item counts as 1."""
    return {
        pair: items if pair in inp.gap else tuple((i, 1.0) for i, _ in items)
        for pair, items in inp.cover.items()
    }


MAX_COVER_ITEMS = 6
"""Pairs served by more items than this keep only the necessary-item rows (no cover variables)."""
LARGE_MODEL_PAIRS = 5_000
"""From this many open pairs on, a model is large: cover variables are added by default and each
level starts from the previous level's plan (solve.py). On 2,000 communes (12,500 pairs) covers
brought the first level from 21 s to 4-6 s, and without a start HiGHS found no plan for the
second level of 8,000 communes in 120 s. On Sơn La (1,177 pairs) both cost more than they save
(covers about +1 s of 5 s; starts up to twice as long on the later levels)."""


def is_large(inputs: Inputs) -> bool:
    """True for models with at least LARGE_MODEL_PAIRS open (commune, criterion) pairs."""
    return len(inputs.cover) >= LARGE_MODEL_PAIRS


def _has_cover_variables(items: tuple[tuple[str, float], ...]) -> bool:
    return 2 <= len(items) <= MAX_COVER_ITEMS


def minimal_covers(items: tuple[tuple[str, float], ...], gap: float) -> list[tuple[str, ...]]:
    """Every set of items that closes ``gap`` and has no item it could do without."""
    covers: list[tuple[str, ...]] = []
    codes = [i for i, _ in items]
    amount = dict(items)
    for size in range(1, len(codes) + 1):
        for subset in combinations(codes, size):
            total = sum(amount[i] for i in subset)
            if total < gap - COVERAGE_TOLERANCE:
                continue
            if all(total - amount[i] < gap - COVERAGE_TOLERANCE for i in subset):
                covers.append(subset)
    return covers


def define_pair_covers(f: Formulation) -> None:
    """For a pair served by 2..MAX_COVER_ITEMS items, one variable per minimal cover S:
    cover_pick[c,k,t]: met[c,k,t] ≤ Σ_S y[c,k,S,t];  cover_item[c,k,i,t]: Σ_{S∋i} y[c,k,S,t] ≤
    done[i,t]. Implied by coverage for integer plans (a met pair is closed by some minimal
    cover), but the LP can no longer meet a pair with fractions of items that no whole set of
    them matches, which tightens every level."""
    inp = f.inputs
    years = tracked_years(inp)
    for (c, k), items in _cover(inp).items():
        if not _has_cover_variables(items):
            continue
        covers = minimal_covers(items, inp.gap.get((c, k), 1.0))
        for t in years:
            picks = [
                f.problem.add_variable(name("cover", c, k, n, t), 0, 1, pulp.LpBinary)
                for n in range(len(covers))
            ]
            f.covers[(c, k, t)] = list(zip(picks, covers, strict=True))
            terms = [(v, -1.0) for v in picks] + [(f.met[(c, k, t)], 1.0)]
            f.add(Expr(terms) <= 0, name("cover_pick", c, k, t))
            for i, _ in items:
                terms = [(v, 1.0) for v, cover in zip(picks, covers, strict=True) if i in cover]
                terms += [(f.fund[(i, start)], -1.0) for start in inp.done_starts(i, t)]
                f.add(Expr(terms) <= 0, name("cover_item", c, k, i, t))


def define_necessary_items(f: Formulation) -> None:
    """needs[c,k,i,t]: met[c,k,t] ≤ done[i,t] when the other items serving (c,k) cannot close its
    gap without i. Implied by coverage for integer solutions; it tightens the LP relaxation."""
    inp = f.inputs
    years = tracked_years(inp)
    for (c, k), items in _cover(inp).items():
        g = inp.gap.get((c, k), 1.0)
        total = sum(a for _, a in items)
        for i, amount in items:
            if total - amount >= g - COVERAGE_TOLERANCE:
                continue
            for t in years:
                terms = [(f.fund[(i, start)], -1.0) for start in inp.done_starts(i, t)]
                terms.append((f.met[(c, k, t)], 1.0))
                f.add(Expr(terms) <= 0, name("needs", c, k, i, t))


def define_standard(f: Formulation) -> None:
    """standard[c,k,t]: std[c,t] ≤ met[c,k,t] for every open pair of c."""
    for (c, t), var in f.std.items():
        for _, k in f.inputs.open_pairs[c]:
            f.add(Expr([(var, 1.0), (f.met[(c, k, t)], -1.0)]) <= 0, name("standard", c, k, t))


def define_floor(f: Formulation) -> None:
    """floor[c]: fixed_met[c] + Σ_k met[c,k,T̄] ≥ floor · floor[c]."""
    inp = f.inputs
    for c, var in f.floor.items():
        terms = [(f.met[(c, k, inp.end)], 1.0) for _, k in inp.open_pairs.get(c, ())]
        terms.append((var, -(inp.floor - inp.fixed_met[c])))
        f.add(Expr(terms) >= 0, name("floor", c))


def standard_count(f: Formulation, year: int, communes: tuple[str, ...] | None = None) -> Expr:
    """Communes at standard in ``year`` (the counted ones, or those given)."""
    inp = f.inputs
    pool = inp.counted if communes is None else communes
    constant = sum(1 for c in pool if c not in inp.open_pairs and c in inp.can_reach_standard)
    terms = [(f.std[(c, year)], 1.0) for c in pool if (c, year) in f.std]
    return Expr(terms, constant)


def floor_count(f: Formulation) -> Expr:
    """Counted communes meeting the criteria floor at the horizon end."""
    inp = f.inputs
    constant = sum(1 for c in inp.counted if inp.fixed_met[c] >= inp.floor)
    return Expr([(f.floor[c], 1.0) for c in inp.counted if c in f.floor], constant)


def define_min_shares(f: Formulation) -> None:
    """min_share[p]: money to group ≥ share · money (of one source or all)."""
    inp = f.inputs
    for policy in inp.scenario.policies.min_shares:
        members = inp.group_members(policy.group, policy.district)
        lhs = f.money_to(members, policy.source) - policy.share * f.total_money(policy.source)
        f.add(lhs >= 0, name("min_share", policy.name), policy.name)


def define_must_reach(f: Formulation) -> None:
    """must_reach[p,c]: std[c,year] = 1 for every named commune (or every commune of a district)."""
    inp = f.inputs
    for policy in inp.scenario.policies.must_reach:
        year = _decision_year(inp, policy.by_year)
        codes = set(policy.communes) | {
            c.code for c in inp.dataset.communes if c.district in set(policy.districts)
        }
        for c in sorted(codes):
            cname = name("must_reach", policy.name, c)
            if (c, year) in f.std:
                f.add(Expr([(f.std[(c, year)], 1.0)]) >= 1, cname, policy.name)
            elif c not in inp.open_pairs and c in inp.can_reach_standard:
                continue  # already at standard and nothing at risk
            else:
                f.add(Expr([], 0) >= 1, cname, policy.name)  # cannot reach: infeasible, named


def define_targets(f: Formulation) -> None:
    """target_standard: Σ_c std[c,year] ≥ N; target_floor[c]: every commune meets the floor."""
    inp = f.inputs
    targets = inp.scenario.targets
    if targets.communes_at_standard is not None:
        year = _decision_year(inp, targets.by_year)
        f.add(
            standard_count(f, year) >= targets.communes_at_standard,
            name("target_communes_at_standard"),
            "target_communes_at_standard",
        )
    if targets.no_commune_below_floor:
        for c in inp.counted:
            cname = name("target_floor", c)
            if c in f.floor:
                f.add(Expr([(f.floor[c], 1.0)]) >= 1, cname, "target_no_commune_below_floor")
            elif inp.fixed_met[c] < inp.floor:
                f.add(Expr([], 0) >= 1, cname, "target_no_commune_below_floor")


def define_commune_cap(f: Formulation) -> None:
    """commune_cap[c]: money attributed to c ≤ cap."""
    inp = f.inputs
    cap = inp.scenario.policies.commune_cap
    if cap is None:
        return
    for commune in inp.dataset.communes:
        money = f.money_to(frozenset({commune.code}))
        if money.keys():
            f.add(money <= cap, name("commune_cap", commune.code), "commune_cap")


def define_maintenance(f: Formulation) -> None:
    """maintain[c,k]: met[c,k,T̄] = 1 for at-risk criteria of communes at standard."""
    inp = f.inputs
    if not inp.scenario.policies.maintain_standard:
        return
    for c, k in inp.at_risk:
        if inp.dataset.commune_by_code[c].ntm_level != "none":
            var = f.met[(c, k, inp.end)]
            f.add(Expr([(var, 1.0)]) >= 1, name("maintain", c, k), "maintain_standard")


def define_co_financing(f: Formulation) -> None:
    """co_financing[p,t]: spend[source,t] ≥ ratio · spend[of_source,t]."""
    inp = f.inputs
    for policy in inp.scenario.policies.co_financing:
        for t in inp.years:
            lhs = f.spend(policy.source, t) - policy.ratio * f.spend(policy.of_source, t)
            f.add(lhs >= 0, name("co_financing", policy.name, t), policy.name)


def define_committed(f: Formulation) -> None:
    """committed[i]: Σ_t fund[i,t] = 1 (or fund[i,start] = 1 when a start year is given; a pooled
    horizon has one period, so there the start year is ignored)."""
    inp = f.inputs
    for commitment in inp.scenario.policies.committed:
        i = commitment.investment
        cname = name("committed", i)
        if i not in inp.starts:
            f.add(Expr([], 0) >= 1, cname, "committed")  # cannot be funded at all
            continue
        pooled = inp.scenario.horizon.single_period
        years = [t for t in inp.starts[i] if pooled or commitment.start_year in (None, t)]
        terms = [(f.fund[(i, t)], 1.0) for t in years]
        f.add(Expr(terms) >= 1, cname, "committed")


def define_district_equity(f: Formulation) -> None:
    """district_equity[d]: Σ_{c∈d} std[c,T̄] ≥ max(min_communes, ⌈min_share·|d|⌉)."""
    inp = f.inputs
    rule = inp.scenario.policies.district_equity
    if rule is None:
        return
    by_district: dict[str, list[str]] = defaultdict(list)
    counted = set(inp.counted)
    for commune in inp.dataset.communes:
        if commune.district and commune.code in counted:
            by_district[commune.district].append(commune.code)
    for district, codes in sorted(by_district.items()):
        need = max(rule.min_communes, -(-int(rule.min_share * len(codes) * 1e9) // int(1e9)))
        need = min(need, len(codes))
        if need > 0:
            count = standard_count(f, inp.end, tuple(codes))
            f.add(count >= need, name(rule.name, district), rule.name)


def define_objectives(f: Formulation) -> None:
    """One expression per objective; solve.py optimises them in the scenario's order."""
    inp = f.inputs
    counted = set(inp.counted)
    f.objectives[Objective.COMMUNES_AT_STANDARD] = standard_count(f, inp.end)
    f.objectives[Objective.COMMUNES_AT_FLOOR] = floor_count(f)
    f.objectives[Objective.CRITERIA_MET] = Expr(
        [(v, 1.0) for (c, _k, t), v in f.met.items() if t == inp.end and c in counted],
        sum(inp.fixed_met[c] for c in inp.counted),
    )
    earliest = Expr()
    for t in tracked_years(inp):
        earliest = earliest + standard_count(f, t)
    f.objectives[Objective.EARLIEST_ACHIEVEMENT] = earliest
    f.objectives[Objective.LEAST_COST] = Expr([(f.fund[(i, t)], inp.cost[i]) for (i, t) in f.fund])


def _decision_year(inp: Inputs, year: int | None) -> int:
    """The decision period that holds ``year`` (the horizon end when None or single period)."""
    if year is None or inp.scenario.horizon.single_period:
        return inp.end
    return min((t for t in inp.years if t >= year), default=inp.end)
