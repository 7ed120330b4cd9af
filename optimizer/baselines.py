"""Rules of thumb that share out the same money without optimisation, for comparison.

Each rule is a pure function ``(dataset, scenario) -> Plan`` that returns the same Plan type as the
optimizer (through :func:`optimizer.assemble.assemble_plan`, status ``heuristic``), so every
comparison, export and page works for it unchanged. ``BASELINES`` maps rule names to the rules.

- ``formula``: how funds are divided today. Every source's money per year is split among the
  counted communes in proportion to the 2026-2030 formula weight (``FORMULA_COEFFICIENTS``); each
  commune spends its own allocation on its own gaps, cheapest first.
- ``closest_first``: communes with the fewest unmet criteria first; each gets its cheapest
  completion set if the money left can pay for it, else it is skipped.
- ``cheapest_first``: the same, with communes ordered by the cost of their cheapest completion.

What every rule honours (the hard rules of the data and the scenario): each source's budget per
year, cumulative when the scenario carries unspent money over, and the disbursement rates; which
sources may pay for an item and at most what share of it; an item's allowed start years and its
duration (cost spread evenly over the duration years, the effect counting from the completion
year); forced-out items (left out by ``prepare``); committed items, funded first from the whole
budget at their given start year; with ``maintain_standard``, the upkeep of recognised communes'
at-risk criteria, funded next. A committed item or an upkeep that cannot be paid is named in the
plan's message.

What every rule ignores: the scenario's objectives and the optional policies it cannot honour
(minimum shares, must-reach communes, the commune cap, co-financing ratios, district equity,
targets). Those present in the scenario are named in the plan's message. At-risk criteria are
treated as gaps to close: a commune's completion set includes the maintenance items that keep it
at standard.

The shared machinery — the money left (:class:`Purse`), an exact cheapest cover of a commune's
gaps (:func:`cheapest_cover`, :func:`completion`) and the greedy funding step (:func:`fund_set`:
all items of a set or none, earliest feasible start year, most restricted sources first) — is
used by all three rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from models.commune import Commune, NtmLevel
from models.dataset import Dataset
from models.messages import Message, msg
from models.scenario import Scenario
from optimizer.assemble import assemble_plan
from optimizer.inputs import COVERAGE_TOLERANCE, Inputs, Pair, prepare
from optimizer.plan import BASELINE_PREFIX, Payment, Plan, PlanStatus

MONEY_EPSILON = 1e-6
"""Money below this (million VND) is rounding: a capacity this small pays nothing."""

FORMULA_COEFFICIENTS: Mapping[str, float] = MappingProxyType(
    {
        "region_iii": 50,
        "atk": 50,
        "border": 50,
        "region_ii": 40,
        "region_i": 30,
        "otherwise": 25,
        "per_difficult_village": 1,
    }
)
"""2026-2030 allocation weights (domain.md, "Formula allocation"): the highest applicable of
Region III / ATK / border 50, Region II 40, Region I 30, else ``otherwise``; plus
``per_difficult_village`` per extremely difficult village (bản ĐBKK)."""


def formula_weight(
    commune: Commune, coefficients: Mapping[str, float] = FORMULA_COEFFICIENTS
) -> float:
    """A commune's weight in the formula: highest applicable base coefficient + villages."""
    keys = [f"region_{commune.region.value.lower()}", *(flag.value for flag in commune.flags)]
    base = max((coefficients[k] for k in keys if k in coefficients), default=None)
    if base is None:
        base = coefficients["otherwise"]
    return base + coefficients["per_difficult_village"] * commune.difficult_villages


# -- money left ---------------------------------------------------------------------------------
@dataclass
class Purse:
    """Money per (source, decision year) and what has been spent of it.

    With carry-over, spending is limited cumulatively: Σ_{t'≤t} spent[s,t'] ≤ Σ_{t'≤t} budget[s,t'];
    without, year by year. A disbursement rate r_t further limits a year's spending to
    r_t·(Σ_{t'≤t} budget[s,t'] − Σ_{t'<t} spent[s,t']) with carry-over, r_t·budget[s,t] without
    (the scenario's rule, as the formulation states it).
    """

    years: tuple[int, ...]
    budget: dict[tuple[str, int], float]
    carry_over: bool
    rates: dict[int, float | None] = field(default_factory=dict)
    spent: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))

    def copy(self) -> Purse:
        return Purse(
            self.years, self.budget, self.carry_over, self.rates, defaultdict(float, self.spent)
        )

    def share(self, fraction: float) -> Purse:
        """A ``fraction`` of this purse (budget and what is already spent), as a separate purse.

        Every limit is linear in budget and spending, so purses that share one out keep it.
        """
        return Purse(
            self.years,
            {k: v * fraction for k, v in self.budget.items()},
            self.carry_over,
            self.rates,
            defaultdict(float, {k: v * fraction for k, v in self.spent.items()}),
        )

    def capacity(self, source: str, start: int, duration: int) -> float:
        """Most ``source`` can pay toward an item paid evenly over ``duration`` years from ``start``.

        Paying x adds x/d to each year of the window; the answer is the largest x that keeps
        every year's limits, those of later years included (they see less money carried over).
        """
        most = float("inf")
        d = duration
        window = range(start, start + d)
        budget = spent_before = 0.0
        for year in self.years:
            b = self.budget.get((source, year), 0.0)
            s = self.spent.get((source, year), 0.0)
            budget += b
            here = int(year in window)
            paid_before = sum(1 for y in window if y < year)
            rate = self.rates.get(year)
            if self.carry_over:
                if here + paid_before:
                    most = min(most, (budget - spent_before - s) * d / (here + paid_before))
                weight = here + (rate or 0.0) * paid_before
                if rate is not None and weight:
                    most = min(most, (rate * (budget - spent_before) - s) * d / weight)
            elif here:
                most = min(most, (b - s) * d)
                if rate is not None:
                    most = min(most, (rate * b - s) * d)
            spent_before += s
        return max(0.0, most)

    def pay(self, source: str, start: int, duration: int, amount: float) -> None:
        for year in range(start, start + duration):
            self.spent[(source, year)] += amount / duration


# -- what closes a gap --------------------------------------------------------------------------
@dataclass(frozen=True)
class Needs:
    """What each open pair needs and what each item gives toward it.

    An unmet pair needs its gap and an item gives its effect amount; an at-risk pair needs 1 and
    each maintenance item serving it gives 1 (as :func:`optimizer.assemble.met_years` counts).
    """

    need: dict[Pair, float]
    gives: dict[str, dict[Pair, float]]
    covers: dict[tuple, Cover | None] = field(default_factory=dict, compare=False, repr=False)
    """Least-cost covers found so far, by (what is left of each pair, the items on offer): the
    rules ask for the same commune's cover again and again while little has changed."""
    serving: dict[Pair, tuple[str, ...]] = field(init=False)
    """Pair → the items that give toward it (derived from ``gives``; the index behind
    :meth:`useful` and :meth:`left`)."""

    def __post_init__(self) -> None:
        serving: dict[Pair, list[str]] = defaultdict(list)
        for item, amounts in self.gives.items():
            for pair in amounts:
                serving[pair].append(item)
        object.__setattr__(self, "serving", {p: tuple(i) for p, i in serving.items()})

    def useful(
        self, left: Iterable[Pair], candidates: Iterable[str] | None, exclude: Iterable[str] = ()
    ) -> set[str]:
        """Items serving any pair of ``left``, among ``candidates`` (None: every item) and not in
        ``exclude``; found through the pairs, so the cost does not grow with the item count."""
        found = {i for p in left for i in self.serving.get(p, ())}
        if candidates is not None:
            found &= set(candidates)
        return found.difference(exclude)

    def left(self, pairs: Iterable[Pair], funded: Iterable[str]) -> dict[Pair, float]:
        """What each pair still needs once the ``funded`` items are complete."""
        funded = funded if isinstance(funded, set | frozenset | dict) else set(funded)
        left = {}
        for p in pairs:
            value = self.need[p]
            for item in self.serving.get(p, ()):
                if item in funded:
                    value -= self.gives[item][p]
            if value > COVERAGE_TOLERANCE:
                left[p] = value
        return left


def needs(inputs: Inputs) -> Needs:
    """Needs and contributions for every open pair, from the prepared inputs."""
    need = dict(inputs.gap) | {p: 1.0 for p in inputs.at_risk}
    gives: dict[str, dict[Pair, float]] = defaultdict(dict)
    for pair, covering in inputs.cover.items():
        for item, amount in covering:
            gives[item][pair] = amount if pair in inputs.gap else 1.0
    return Needs(need=need, gives=dict(gives))


@dataclass(frozen=True)
class Cover:
    """A set of items that closes some pairs, and its cost."""

    cost: float
    items: tuple[str, ...]


def cheapest_cover(
    left: dict[Pair, float], candidates: Iterable[str], needs: Needs, cost: dict[str, float]
) -> Cover | None:
    """Exact least-cost set of ``candidates`` whose amounts reach every need in ``left``.

    The pairs are split into groups linked by items serving several of them; each group is a
    small multi-cover knapsack solved exactly by branch and bound (pairs have a handful of items).
    None when no set of candidates closes them all.
    """
    useful = sorted(needs.useful(left, candidates), key=lambda i: (cost[i], i))
    total_cost, chosen = 0.0, list[str]()
    for group in _linked_groups(left, useful, needs):
        members = set(group)
        offered = [i for i in useful if any(p in members for p in needs.gives[i])]
        key = (tuple((p, left[p]) for p in group), tuple(offered))
        if key not in needs.covers:
            needs.covers[key] = _cover_group({p: left[p] for p in group}, offered, needs, cost)
        found = needs.covers[key]
        if found is None:
            return None
        total_cost += found.cost
        chosen += found.items
    return Cover(cost=total_cost, items=tuple(sorted(chosen)))


def _linked_groups(left: dict[Pair, float], items: list[str], needs: Needs) -> list[list[Pair]]:
    """Pairs of ``left`` grouped so that no item serves two groups (union-find, sorted)."""
    parent = {p: p for p in left}

    def root(p: Pair) -> Pair:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for item in items:
        served = sorted(p for p in needs.gives[item] if p in left)
        for p in served[1:]:
            parent[root(p)] = root(served[0])
    groups: dict[Pair, list[Pair]] = defaultdict(list)
    for p in sorted(left):
        groups[root(p)].append(p)
    return list(groups.values())


def _cover_group(
    left: dict[Pair, float], items: list[str], needs: Needs, cost: dict[str, float]
) -> Cover | None:
    """Branch and bound: take the first pair still open, branch on each item serving it
    (cheapest first), and bar the items already tried in later branches.

    A branch is cut when even the cheapest fractional cover of one of its open pairs
    (:func:`_fractional_cover_cost`, a lower bound on any cover) cannot make it strictly
    cheaper than the best cover found; the best cover is only ever replaced by a strictly
    cheaper one, so the cut never changes which cover is returned, only how fast.
    """
    options = [i for i in items if any(p in left for p in needs.gives[i])]
    best: list[Cover | None] = [None]

    def search(left: dict[Pair, float], spent: float, chosen: tuple[str, ...], barred: set) -> None:
        open_pairs = [p for p in sorted(left) if left[p] > COVERAGE_TOLERANCE]
        if not open_pairs:
            if best[0] is None or spent < best[0].cost - MONEY_EPSILON:
                best[0] = Cover(cost=spent, items=chosen)
            return
        pair = open_pairs[0]
        serving = [i for i in options if pair in needs.gives[i] and i not in barred]
        if sum(needs.gives[i][pair] for i in serving) < left[pair] - COVERAGE_TOLERANCE:
            return
        if best[0] is not None:
            free = [i for i in options if i not in barred]
            bound = max(_fractional_cover_cost(p, left[p], free, needs, cost) for p in open_pairs)
            if spent + bound * (1 - BOUND_SLACK) >= best[0].cost - MONEY_EPSILON:
                return
        barred = set(barred)
        for item in serving:
            if best[0] is not None and spent + cost[item] >= best[0].cost - MONEY_EPSILON:
                break  # options are sorted by cost: every later branch costs at least as much
            after = dict(left)
            for p, amount in needs.gives[item].items():
                if p in after:
                    after[p] -= amount
            barred.add(item)
            search(after, spent + cost[item], (*chosen, item), barred)

    search(left, 0.0, (), set())
    return best[0]


BOUND_SLACK = 1e-9
"""Relative slack on the fractional bound, so float rounding never cuts a cheaper branch."""


def _fractional_cover_cost(
    pair: Pair, left: float, items: list[str], needs: Needs, cost: dict[str, float]
) -> float:
    """Least cost to close ``left`` of ``pair`` if items could be bought in fractions (the
    linear relaxation of the pair's cover: best cost per unit first); infinite if the items
    cannot close it. A lower bound on the cost of any whole-item cover of the pair."""
    need = left - COVERAGE_TOLERANCE
    if need <= 0:
        return 0.0
    offers = sorted(
        (cost[i] / amount, amount) for i in items if (amount := needs.gives[i].get(pair, 0.0)) > 0
    )
    total = 0.0
    for per_unit, amount in offers:
        take = min(amount, need)
        total += per_unit * take
        need -= take
        if need <= 0:
            return total
    return float("inf")


def completion(
    inputs: Inputs,
    needs: Needs,
    commune: str,
    funded: Iterable[str],
    candidates: Iterable[str] | None = None,
) -> Cover | None:
    """The cheapest set of items (not yet funded) that brings ``commune`` to standard.

    A shared item counts at its full cost here, and once funded it closes its amounts in every
    commune it serves. None when the commune cannot reach the standard with the available items.
    """
    if commune not in inputs.can_reach_standard:
        return None
    funded = set(funded)
    left = needs.left(inputs.open_pairs.get(commune, ()), funded)
    return cheapest_cover(left, needs.useful(left, candidates, funded), needs, inputs.cost)


# -- funding ------------------------------------------------------------------------------------
@dataclass
class Ledger:
    """Decisions so far: each funded item's start year and each source's total share of it."""

    start: dict[str, int] = field(default_factory=dict)
    paid: dict[str, dict[str, float]] = field(default_factory=dict)

    def payments(self, inputs: Inputs) -> list[Payment]:
        """Payments per item, source and year: each source's share spread evenly."""
        rows = []
        for item, start in self.start.items():
            d = inputs.duration[item]
            for source, amount in self.paid[item].items():
                rows += [
                    Payment(investment=item, source=source, year=y, amount=amount / d)
                    for y in range(start, start + d)
                ]
        return rows


def source_order(inputs: Inputs) -> tuple[str, ...]:
    """Sources most restricted first (fewest items they may pay for, then smaller share cap), so
    that money any item may use is kept for items that only it can pay."""
    reach: dict[str, int] = defaultdict(int)
    for item in inputs.items:
        for s in inputs.sources_for[item]:
            reach[s] += 1
    caps = {s.code: s.max_share for s in inputs.dataset.sources}
    return tuple(sorted(caps, key=lambda s: (reach[s], caps[s], s)))


def pay_item(
    inputs: Inputs, order: tuple[str, ...], purse: Purse, item: str, starts: Iterable[int]
) -> tuple[int, dict[str, float]] | None:
    """Pay ``item`` in full at the earliest of ``starts`` the purse allows, sources in ``order``.

    Spends from ``purse`` and returns (start year, source → amount); None leaves it untouched.
    """
    caps = inputs.dataset.source_by_code
    cost, d = inputs.cost[item], inputs.duration[item]
    eligible = [s for s in order if s in inputs.sources_for[item]]
    for start in starts:
        amounts: dict[str, float] = {}
        left = cost
        for s in eligible:
            can = min(caps[s].max_share * cost, purse.capacity(s, start, d))
            if can >= left - MONEY_EPSILON:
                amounts[s] = left
                left = 0.0
                break
            if can > MONEY_EPSILON:
                amounts[s] = can
                left -= can
        if left == 0.0:
            for s, amount in amounts.items():
                purse.pay(s, start, d, amount)
            return start, amounts
    return None


def fund_set(
    inputs: Inputs,
    order: tuple[str, ...],
    purse: Purse,
    ledger: Ledger,
    items: Iterable[str],
    starts: Mapping[str, Iterable[int]] | None = None,
) -> bool:
    """Fund every item of ``items`` from ``purse`` or none of them; True when funded.

    Items with the fewest eligible sources go first, then dearer ones; each at its earliest
    affordable start year (or only the years in ``starts``).
    """
    trial = purse.copy()
    decided = {}
    for item in sorted(items, key=lambda i: (len(inputs.sources_for[i]), -inputs.cost[i], i)):
        allowed = (starts or {}).get(item, inputs.starts[item])
        decision = pay_item(inputs, order, trial, item, allowed)
        if decision is None:
            return False
        decided[item] = decision
    purse.spent = trial.spent
    for item, (start, amounts) in decided.items():
        ledger.start[item] = start
        ledger.paid[item] = amounts
    return True


@dataclass
class Run:
    """One baseline run: prepared inputs, the money left, the decisions so far."""

    inputs: Inputs
    needs: Needs
    order: tuple[str, ...]
    purse: Purse
    ledger: Ledger = field(default_factory=Ledger)
    notes: list[Message] = field(default_factory=list)

    @classmethod
    def start(cls, dataset: Dataset, scenario: Scenario) -> Run:
        """Prepare the inputs and fund the committed items first, from the whole budget."""
        inputs = prepare(dataset, scenario)
        b = scenario.budgets
        rates = {t: b.disbursement(t) for t in inputs.years}
        purse = Purse(inputs.years, dict(inputs.budget), b.carry_over, rates)
        run = cls(inputs, needs(inputs), source_order(inputs), purse)
        ignored = ignored_policies(scenario)
        if ignored:
            policies = tuple(msg(f"ignored.{name}") for name in ignored)
            run.notes.append(msg("note.ignores", policies=policies))
        for commitment in scenario.policies.committed:
            item = commitment.investment
            if item in run.ledger.start:
                continue
            starts = [t for t in inputs.starts.get(item, ()) if commitment.start_year in (None, t)]
            if not (
                starts and fund_set(inputs, run.order, purse, run.ledger, [item], {item: starts})
            ):
                run.notes.append(msg("note.committed_unfunded", item=item))
        if scenario.policies.maintain_standard:
            run.keep_standard_communes()
        return run

    def keep_standard_communes(self) -> None:
        """Fund the cheapest maintenance of every recognised commune's at-risk criteria first
        (the maintain_standard policy); a commune whose upkeep cannot be paid is named."""
        d = self.inputs.dataset
        for commune, pair in [(p[0], p) for p in self.inputs.at_risk]:
            if d.commune_by_code[commune].ntm_level == NtmLevel.NONE:
                continue
            left = self.needs.left([pair], self.ledger.start)
            pool = self.needs.useful(left, None, self.ledger.start)
            cover = cheapest_cover(left, pool, self.needs, self.inputs.cost)
            if cover is None or not self.fund(cover.items):
                self.notes.append(msg("note.at_risk_unkept", criterion=pair[1], commune=commune))

    def fund(self, items: Iterable[str], purse: Purse | None = None) -> bool:
        return fund_set(
            self.inputs, self.order, self.purse if purse is None else purse, self.ledger, items
        )

    def completion(self, commune: str, candidates: Iterable[str] | None = None) -> Cover | None:
        return completion(self.inputs, self.needs, commune, self.ledger.start, candidates)

    def plan(self, rule: str, description: Message) -> Plan:
        return assemble_plan(
            self.inputs,
            dict(self.ledger.start),
            self.ledger.payments(self.inputs),
            method=BASELINE_PREFIX + rule,
            status=PlanStatus.HEURISTIC,
            notes=(description, *self.notes),
        )


FORMULA_NOTE = msg("note.baseline_formula")
CLOSEST_NOTE = msg("note.baseline_closest_first")
CHEAPEST_NOTE = msg("note.baseline_cheapest_first")
"""Each rule's description, the first of its plan's notes."""


def ignored_policies(scenario: Scenario) -> list[str]:
    """The scenario's optional policies and targets that the rules of thumb do not honour."""
    p, t = scenario.policies, scenario.targets
    named = {
        "min_shares": bool(p.min_shares),
        "must_reach": bool(p.must_reach),
        "commune_cap": p.commune_cap is not None,
        "co_financing": bool(p.co_financing),
        "district_equity": p.district_equity is not None,
        "targets": t.communes_at_standard is not None or t.no_commune_below_floor,
    }
    return [name for name, present in named.items() if present]


def complete_in_order(run: Run, order: Iterable[str]) -> None:
    """Fund each commune's cheapest completion set (recomputed as shared items get funded) when
    the money left pays for all of it; otherwise skip the commune."""
    for commune in order:
        cover = run.completion(commune)
        if cover is not None and cover.items:
            run.fund(cover.items)


def completable(run: Run) -> dict[str, Cover]:
    """Counted communes with something left to do that can reach the standard, and their cover."""
    covers = {c: run.completion(c) for c in run.inputs.counted}
    return {c: cover for c, cover in covers.items() if cover is not None and cover.items}


# -- the rules ----------------------------------------------------------------------------------
def formula(dataset: Dataset, scenario: Scenario) -> Plan:
    """Formula allocation, as funds are divided today.

    Every source's money per year is split among the counted communes in proportion to
    :func:`formula_weight`. Communes, in code order, spend their own allocation: each open gap
    (and at-risk criterion) is ranked by the cost of its cheapest cover, cheapest first, and that
    cover is funded only when the commune's allocation pays for all of it (unspent allocation
    carries over within the commune when the scenario carries money over). A shared item belongs
    to the lowest-coded counted commune it serves and is paid from that commune's allocation; its
    effects count for every commune it serves.
    """
    run = Run.start(dataset, scenario)
    inputs = run.inputs
    weights = {c: formula_weight(dataset.commune_by_code[c]) for c in inputs.counted}
    total = sum(weights.values())
    counted = set(inputs.counted)
    owner = {
        i: min(served)
        for i in inputs.items
        if (served := [c for c in inputs.share[i] if c in counted])
    }
    own: dict[str, list[str]] = defaultdict(list)
    for item, commune in owner.items():
        own[commune].append(item)
    for commune in sorted(weights):
        allocation = run.purse.share(weights[commune] / total)
        pairs = inputs.open_pairs.get(commune, ())
        ranked = []
        for pair in pairs:
            cover = _pair_cover(run, pair, own[commune])
            if cover is not None and cover.items:
                ranked.append((cover.cost, dataset.criteria.by_code[pair[1]].number, pair))
        for _cost, _number, pair in sorted(ranked):
            cover = _pair_cover(run, pair, own[commune])
            if cover is not None and cover.items:
                run.fund(cover.items, allocation)
    return run.plan("formula", FORMULA_NOTE)


def _pair_cover(run: Run, pair: Pair, candidates: list[str]) -> Cover | None:
    left = run.needs.left([pair], run.ledger.start)
    pool = run.needs.useful(left, candidates, run.ledger.start)
    return cheapest_cover(left, pool, run.needs, run.inputs.cost)


def closest_first(dataset: Dataset, scenario: Scenario) -> Plan:
    """Communes closest to the standard first.

    Counted communes are ordered by fewest unmet criteria today (ties: cheapest completion, then
    code); each commune's cheapest completion set is funded if the money left pays for all of it,
    else the commune is skipped.
    """
    run = Run.start(dataset, scenario)
    d = dataset
    covers = completable(run)
    order = sorted(covers, key=lambda c: (d.criteria.size - d.criteria_met[c], covers[c].cost, c))
    complete_in_order(run, order)
    return run.plan("closest_first", CLOSEST_NOTE)


def cheapest_first(dataset: Dataset, scenario: Scenario) -> Plan:
    """Cheapest communes first.

    Counted communes are ordered by the cost of their cheapest completion set (ties: code); each
    set is funded if the money left pays for all of it, else the commune is skipped.
    """
    run = Run.start(dataset, scenario)
    covers = completable(run)
    order = sorted(covers, key=lambda c: (covers[c].cost, c))
    complete_in_order(run, order)
    return run.plan("cheapest_first", CHEAPEST_NOTE)


BASELINES: dict[str, Callable[[Dataset, Scenario], Plan]] = {
    "formula": formula,
    "closest_first": closest_first,
    "cheapest_first": cheapest_first,
}
"""Rule name → rule; each plan's method is ``baseline:<name>``."""
