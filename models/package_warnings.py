"""What a valid data package probably did not mean: rules that load but cannot have any effect.

A package with these still loads (a planner may be building it up), but each is said, so that a
typo in a source's categories or a missing budgets table is not discovered as an empty plan.
"""

from __future__ import annotations

from models.dataset import Dataset


def package_warnings(dataset: Dataset) -> list[str]:
    """Every rule of ``dataset`` that loads but cannot work as written, located by table."""
    warnings: list[str] = []
    if not any(b.amount > 0 for b in dataset.budgets):
        warnings.append("budgets: no money in any year; every plan on this package funds nothing")
    categories = {i.category for i in dataset.investments}
    for source in dataset.sources:
        unknown = [c for c in source.eligible_categories if c not in categories]
        if not unknown:
            continue
        none_left = len(unknown) == len(source.eligible_categories)
        warnings.append(
            f"funding_sources: {source.code}: eligible_categories "
            f"{', '.join(repr(c) for c in unknown)} "
            f"{'is' if len(unknown) == 1 else 'are'} the category of no investment"
            + ("; the source can pay for nothing" if none_left else "")
            + f" (categories: {', '.join(sorted(categories))})"
        )
    return warnings
