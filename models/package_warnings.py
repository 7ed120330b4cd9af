"""What a valid data package probably did not mean: rules that load but cannot have any effect.

A package with these still loads (a planner may be building it up), but each is said, so that a
typo in a source's categories or a missing budgets table is not discovered as an empty plan.
"""

from __future__ import annotations

from models.dataset import Dataset
from models.messages import Message, msg


def package_warnings(dataset: Dataset) -> list[Message]:
    """Every rule of ``dataset`` that loads but cannot work as written, located by table."""
    warnings: list[Message] = []
    if not any(b.amount > 0 for b in dataset.budgets):
        warnings.append(msg("warning.no_money"))
    categories = {i.category for i in dataset.investments}
    for source in dataset.sources:
        unknown = [c for c in source.eligible_categories if c not in categories]
        if not unknown:
            continue
        none_left = len(unknown) == len(source.eligible_categories)
        code = "warning.categories_unused" if none_left else "warning.categories_unknown"
        warnings.append(
            msg(
                code + ("_one" if len(unknown) == 1 else ""),
                source=source.code,
                unknown=", ".join(repr(c) for c in unknown),
                categories=", ".join(sorted(categories)),
            )
        )
    return warnings
