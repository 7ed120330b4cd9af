"""Differences: field by field between scenario versions, decision by decision between plans.

Both are pure functions of their inputs (no database), so the app can also compare plans that were
never saved.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from pydantic import JsonValue

from models.base import FrozenModel
from models.scenario import Scenario
from optimizer.plan import Plan, PlanStatus

MONEY_TOLERANCE = 1e-3
"""Million VND (1,000 VND): money differences smaller than this are not changes."""
VALUE_TOLERANCE = 1e-9
"""Other numbers (KPIs) closer than this are equal."""
KEY_FIELD = "name"
"""Lists of mappings that all carry this field are compared entry by entry, matched on it."""


# -- scenario versions ---------------------------------------------------------------------------
class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class FieldChange(FrozenModel):
    """One field that differs between two scenario versions.

    ``path`` is dotted, with named list entries in brackets, e.g. ``budgets.scale`` or
    ``policies.min_shares[difficult].share``.
    """

    path: str
    kind: ChangeKind
    before: JsonValue = None
    after: JsonValue = None

    def describe(self) -> str:
        if self.kind == ChangeKind.ADDED:
            return f"{self.path}: added {_show(self.after)}"
        if self.kind == ChangeKind.REMOVED:
            return f"{self.path}: removed (was {_show(self.before)})"
        return f"{self.path}: {_show(self.before)} → {_show(self.after)}"


def _number(value: float | None) -> str:
    if value is None:
        return "none"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def diff_scenarios(before: Scenario | None, after: Scenario) -> tuple[FieldChange, ...]:
    """Every field that differs, from ``before`` (None: nothing, i.e. a first version) to ``after``."""
    if before is None:
        return ()
    changes: list[FieldChange] = []
    _walk("", before.model_dump(mode="json"), after.model_dump(mode="json"), changes)
    return tuple(changes)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _keyed(values: Any) -> dict[str, Any] | None:
    """A list of mappings with distinct ``name`` fields, as name → mapping; else None."""
    if not isinstance(values, list) or not values:
        return None
    if not all(isinstance(v, dict) and isinstance(v.get(KEY_FIELD), str) for v in values):
        return None
    keyed = {v[KEY_FIELD]: v for v in values}
    return keyed if len(keyed) == len(values) else None


def _walk(path: str, a: Any, b: Any, out: list[FieldChange]) -> None:
    if a == b:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        _walk_mapping(path, a, b, out, lambda p, k: _join(p, str(k)))
        return
    keyed_a, keyed_b = _keyed(a), _keyed(b)
    if (keyed_a is not None or a == []) and (keyed_b is not None or b == []):
        _walk_mapping(path, keyed_a or {}, keyed_b or {}, out, lambda p, k: f"{p}[{k}]")
        return
    out.append(FieldChange(path=path, kind=ChangeKind.CHANGED, before=a, after=b))


def _walk_mapping(
    path: str, a: dict[Any, Any], b: dict[Any, Any], out: list[FieldChange], join: Any
) -> None:
    for key in list(a) + [k for k in b if k not in a]:
        where = join(path, key)
        if key not in b:
            out.append(FieldChange(path=where, kind=ChangeKind.REMOVED, before=a[key]))
        elif key not in a:
            out.append(FieldChange(path=where, kind=ChangeKind.ADDED, after=b[key]))
        else:
            _walk(where, a[key], b[key], out)


# -- runs ----------------------------------------------------------------------------------------
class ItemChangeKind(StrEnum):
    ADDED = "added"
    """Funded in run b, not in run a."""
    REMOVED = "removed"
    """Funded in run a, not in run b."""
    MOVED = "moved"
    """Funded in both, starting in a different year."""


class ItemChange(FrozenModel):
    """An investment funded differently by the two runs."""

    investment: str
    kind: ItemChangeKind
    start_a: int | None
    start_b: int | None
    cost: float = 0.0


class StandardChangeKind(StrEnum):
    GAINED = "gained"
    """At standard at the horizon end in run b, not in run a."""
    LOST = "lost"
    """At standard at the horizon end in run a, not in run b."""
    EARLIER = "earlier"
    """At standard in both; reaches it earlier in run b."""
    LATER = "later"
    """At standard in both; reaches it later in run b."""


class StandardChange(FrozenModel):
    """A commune whose "at standard" outcome differs (every unit, wards included)."""

    commune: str
    kind: StandardChangeKind
    year_a: int | None
    year_b: int | None
    criteria_a: int | None
    criteria_b: int | None


class MoneyChange(FrozenModel):
    """Money for one key (source × year, commune, or item × source × year) in runs a and b."""

    source: str | None = None
    year: int | None = None
    commune: str | None = None
    investment: str | None = None
    a: float
    b: float

    @property
    def change(self) -> float:
        return self.b - self.a


class KpiChange(FrozenModel):
    """A headline figure in runs a and b."""

    name: str
    a: float | None
    b: float | None

    @property
    def changed(self) -> bool:
        if self.a is None or self.b is None:
            return self.a != self.b
        return abs(self.a - self.b) > VALUE_TOLERANCE


COMPARED_KPIS = (
    "at_standard_after",
    "at_floor_after",
    "criteria_met_after",
    "mean_criteria_after",
    "money_total",
    "budget_total",
    "items_funded",
)


class RunDiff(FrozenModel):
    """What run b decides differently from run a, decision by decision."""

    run_a: int | None = None
    run_b: int | None = None
    status_a: PlanStatus
    status_b: PlanStatus
    items: tuple[ItemChange, ...] = ()
    communes: tuple[StandardChange, ...] = ()
    money_by_source_year: tuple[MoneyChange, ...] = ()
    money_by_commune: tuple[MoneyChange, ...] = ()
    payments: tuple[MoneyChange, ...] = ()
    """Item × source × year payments that differ (the finest level of money decisions)."""
    kpis: tuple[KpiChange, ...] = ()
    """Every compared headline figure, changed or not (see ``KpiChange.changed``)."""
    tolerance: float = MONEY_TOLERANCE

    def _items(self, kind: ItemChangeKind) -> tuple[ItemChange, ...]:
        return tuple(i for i in self.items if i.kind == kind)

    @property
    def items_added(self) -> tuple[ItemChange, ...]:
        return self._items(ItemChangeKind.ADDED)

    @property
    def items_removed(self) -> tuple[ItemChange, ...]:
        return self._items(ItemChangeKind.REMOVED)

    @property
    def items_moved(self) -> tuple[ItemChange, ...]:
        return self._items(ItemChangeKind.MOVED)

    @property
    def communes_gained(self) -> tuple[str, ...]:
        return tuple(c.commune for c in self.communes if c.kind == StandardChangeKind.GAINED)

    @property
    def communes_lost(self) -> tuple[str, ...]:
        return tuple(c.commune for c in self.communes if c.kind == StandardChangeKind.LOST)

    @property
    def same_decisions(self) -> bool:
        """Same items, same start years and the same payments (within the tolerance)."""
        return not self.items and not self.payments and self.status_a == self.status_b

    def lines(self) -> list[str]:
        """A plain-text account, one line per change, for the command line."""
        head = f"run {self.run_a or 'a'} → run {self.run_b or 'b'}"
        if self.same_decisions:
            return [f"{head}: same decisions (items, start years, payments)"]
        lines = [f"{head}:"]
        if self.status_a != self.status_b:
            lines.append(f"  status: {self.status_a.value} → {self.status_b.value}")
        for i in self.items:
            if i.kind == ItemChangeKind.MOVED:
                lines.append(f"  item {i.investment}: moved {i.start_a} → {i.start_b}")
            elif i.kind == ItemChangeKind.ADDED:
                lines.append(f"  item {i.investment}: added (starts {i.start_b}, {i.cost:,.0f})")
            else:
                lines.append(f"  item {i.investment}: removed (was {i.start_a}, {i.cost:,.0f})")
        for c in self.communes:
            lines.append(f"  commune {c.commune}: {c.kind.value} ({c.year_a} → {c.year_b})")
        for m in self.money_by_source_year:
            lines.append(f"  money {m.source} {m.year}: {m.a:,.1f} → {m.b:,.1f}")
        for m in self.money_by_commune:
            lines.append(f"  money commune {m.commune}: {m.a:,.1f} → {m.b:,.1f}")
        for k in self.kpis:
            if k.changed:
                lines.append(f"  {k.name}: {_number(k.a)} → {_number(k.b)}")
        return lines


def _money_changes(
    a: dict[tuple[Any, ...], float],
    b: dict[tuple[Any, ...], float],
    fields: tuple[str, ...],
    tolerance: float,
) -> tuple[MoneyChange, ...]:
    changes = []
    for key in sorted(set(a) | set(b), key=lambda k: tuple(str(part) for part in k)):
        before, after = a.get(key, 0.0), b.get(key, 0.0)
        if abs(after - before) > tolerance:
            changes.append(MoneyChange(**dict(zip(fields, key, strict=True)), a=before, b=after))
    return tuple(changes)


def _sum(rows: Iterable[tuple[tuple[Any, ...], float]]) -> dict[tuple[Any, ...], float]:
    totals: dict[tuple[Any, ...], float] = defaultdict(float)
    for key, amount in rows:
        totals[key] += amount
    return dict(totals)


def _item_changes(a: Plan, b: Plan) -> tuple[ItemChange, ...]:
    items_a = {i.investment: i for i in a.items}
    items_b = {i.investment: i for i in b.items}
    changes = []
    for code in sorted(set(items_a) | set(items_b)):
        ia, ib = items_a.get(code), items_b.get(code)
        if ia is None and ib is not None:
            changes.append(
                ItemChange(
                    investment=code, kind="added", start_a=None, start_b=ib.start_year, cost=ib.cost
                )
            )
        elif ib is None and ia is not None:
            changes.append(
                ItemChange(
                    investment=code,
                    kind="removed",
                    start_a=ia.start_year,
                    start_b=None,
                    cost=ia.cost,
                )
            )
        elif ia is not None and ib is not None and ia.start_year != ib.start_year:
            changes.append(
                ItemChange(
                    investment=code,
                    kind="moved",
                    start_a=ia.start_year,
                    start_b=ib.start_year,
                    cost=ib.cost,
                )
            )
    return tuple(changes)  # fmt: skip


def _standard_changes(a: Plan, b: Plan) -> tuple[StandardChange, ...]:
    outcome_a = {c.commune: c for c in a.communes}
    outcome_b = {c.commune: c for c in b.communes}
    changes = []
    for code in sorted(set(outcome_a) | set(outcome_b)):
        ca, cb = outcome_a.get(code), outcome_b.get(code)
        at_a = bool(ca and ca.at_standard_after)
        at_b = bool(cb and cb.at_standard_after)
        year_a = ca.year_at_standard if ca else None
        year_b = cb.year_at_standard if cb else None
        if at_a and not at_b:
            kind = StandardChangeKind.LOST
        elif at_b and not at_a:
            kind = StandardChangeKind.GAINED
        elif at_a and at_b and year_a is not None and year_b is not None and year_a != year_b:
            kind = StandardChangeKind.EARLIER if year_b < year_a else StandardChangeKind.LATER
        else:
            continue
        changes.append(
            StandardChange(
                commune=code,
                kind=kind,
                year_a=year_a,
                year_b=year_b,
                criteria_a=ca.criteria_after if ca else None,
                criteria_b=cb.criteria_after if cb else None,
            )
        )
    return tuple(changes)


def _kpi_changes(a: Plan, b: Plan) -> tuple[KpiChange, ...]:
    def value(plan: Plan, name: str) -> float | None:
        return None if plan.kpis is None else float(getattr(plan.kpis, name))

    return tuple(KpiChange(name=n, a=value(a, n), b=value(b, n)) for n in COMPARED_KPIS)


def diff_plans(
    a: Plan,
    b: Plan,
    *,
    run_a: int | None = None,
    run_b: int | None = None,
    tolerance: float = MONEY_TOLERANCE,
) -> RunDiff:
    """Decision-level differences from plan ``a`` to plan ``b`` (money in million VND)."""
    by_payment_a = _sum(((p.investment, p.source, p.year), p.amount) for p in a.payments)
    by_payment_b = _sum(((p.investment, p.source, p.year), p.amount) for p in b.payments)
    by_source_year_a = _sum(((p.source, p.year), p.amount) for p in a.payments)
    by_source_year_b = _sum(((p.source, p.year), p.amount) for p in b.payments)
    by_commune_a = _sum(((c.commune,), c.money) for c in a.communes)
    by_commune_b = _sum(((c.commune,), c.money) for c in b.communes)
    return RunDiff(
        run_a=run_a,
        run_b=run_b,
        status_a=a.status,
        status_b=b.status,
        items=_item_changes(a, b),
        communes=_standard_changes(a, b),
        money_by_source_year=_money_changes(
            by_source_year_a, by_source_year_b, ("source", "year"), tolerance
        ),
        money_by_commune=_money_changes(by_commune_a, by_commune_b, ("commune",), tolerance),
        payments=_money_changes(
            by_payment_a, by_payment_b, ("investment", "source", "year"), tolerance
        ),
        kpis=_kpi_changes(a, b),
        tolerance=tolerance,
    )
