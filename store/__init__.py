"""Scenario and run history in a database: SQLite by default, PostgreSQL for a shared server.

    from store import Store
    with Store.open() as history:            # NTM_DATABASE_URL, settings file, or SQLite
        run = history.solve_and_record(scenario, dataset, user="lan")
        history.diff_runs(previous.id, run.id).lines()

See ``docs/store.md`` for what is stored, configuration, migrations and backends.
"""

from store.config import default_sqlite_path, default_user, resolve_url, settings_path
from store.content import dataset_content, dataset_from_content, dataset_hash, scenario_hash
from store.diff import (
    MONEY_TOLERANCE,
    ChangeKind,
    FieldChange,
    ItemChange,
    ItemChangeKind,
    KpiChange,
    MoneyChange,
    RunDiff,
    StandardChange,
    StandardChangeKind,
    diff_plans,
    diff_scenarios,
)
from store.errors import (
    ApprovalError,
    CannotReproduce,
    NotFound,
    SchemaOutOfDate,
    StoreConflict,
    StoreError,
)
from store.records import (
    ApprovalEvent,
    DatasetRecord,
    Reproduction,
    RunRecord,
    RunSummary,
    ScenarioSummary,
    ScenarioVersionRecord,
)
from store.schema import ApprovalState
from store.store import Store, open_store, solve_with

__all__ = [
    "MONEY_TOLERANCE",
    "ApprovalError",
    "ApprovalEvent",
    "ApprovalState",
    "CannotReproduce",
    "ChangeKind",
    "DatasetRecord",
    "FieldChange",
    "ItemChange",
    "ItemChangeKind",
    "KpiChange",
    "MoneyChange",
    "NotFound",
    "Reproduction",
    "RunDiff",
    "RunRecord",
    "RunSummary",
    "ScenarioSummary",
    "ScenarioVersionRecord",
    "SchemaOutOfDate",
    "StandardChange",
    "StandardChangeKind",
    "Store",
    "StoreConflict",
    "StoreError",
    "dataset_content",
    "dataset_from_content",
    "dataset_hash",
    "default_sqlite_path",
    "default_user",
    "diff_plans",
    "diff_scenarios",
    "open_store",
    "resolve_url",
    "scenario_hash",
    "settings_path",
    "solve_with",
]
