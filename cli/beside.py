"""Work ``ntm run`` does beside the solve: the baseline rules' plans and the report's chart
library, in a thread of their own while HiGHS solves (it releases the GIL), so on a machine with
two cores they cost no wall time. (Not in application/: the app's worker processes preload
that layer, and need none of this.)"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from application.workflow import run_baselines
from models.dataset import Dataset
from models.scenario import Scenario
from optimizer.plan import Plan
from reports.charts import load_chart_library


class BesideTheSolve:
    """The baseline rules' plans and the report's chart library, prepared in a thread of their
    own while the optimizer solves: HiGHS releases the GIL, so on a machine with two cores this
    work costs no wall time (``ntm run``)."""

    def __init__(self, dataset: Dataset, scenario: Scenario, rules: Iterable[str]) -> None:
        self._plans: dict[str, Plan] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._prepare,
            args=(dataset, scenario, list(rules)),
            name="ntm-beside-the-solve",
            daemon=True,  # a Ctrl+C during the solve does not wait for it
        )
        self._thread.start()

    def _prepare(self, dataset: Dataset, scenario: Scenario, rules: list[str]) -> None:
        try:
            self._plans = run_baselines(dataset, scenario, rules)
            load_chart_library()
        except BaseException as error:  # handed to the caller by result()
            self._error = error

    def result(self) -> dict[str, Plan]:
        """The baseline plans by rule, once ready; an error of a rule is raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._plans
