"""Problems found in a data package, a scenario or a progress report, in the app's language.

Every problem carries a message code and its values (``models.messages``); it is rendered from
the language's catalogue. Anything else is shown as written.
"""

from __future__ import annotations

from models.messages import Message, render


def problem_line(problem: object, lang: str) -> str:
    """A located problem (``budgets.csv dòng 2, cột amount: đang để trống``) in ``lang``."""
    if isinstance(problem, Message | str):
        return render(problem, lang)
    text = getattr(problem, "text", None)
    return text(lang) if callable(text) else str(problem)
