"""Shared fixtures: a tiny, valid Sơn La dataset built in code, and the same dataset on disk;
and, for every test, a history store of its own (never the user's).

The dataset is small enough to read in one screen and touches every feature of the format:
three commune-level units (two communes and a ward) whose names carry Vietnamese diacritics, the
built-in 2021-2025 criteria set, an item that serves two communes, a maintenance item, a livelihood
item, three funding sources with different eligibility rules, and budgets over three years.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from models import (
    Budget,
    Commune,
    CriterionStatus,
    Dataset,
    DatasetInfo,
    Effect,
    FundingSource,
    Investment,
    builtin_criteria_set,
)
from models.io import load_package, save_csv

CRITERIA_SET = "ntm_2021_2025"
CHIENG_MAI, MUONG_BU, CHIENG_SINH = "03994", "04000", "03646"
GAPS: dict[str, dict[str, float]] = {
    CHIENG_MAI: {"transport": 4.5, "irrigation": 12.0, "income": 6.25},
    MUONG_BU: {"transport": 2.0, "housing": 35.0},
    CHIENG_SINH: {},
}
"""Commune → criterion → gap; every criterion not listed is met."""
AT_RISK = {(CHIENG_MAI, "electricity"), (CHIENG_SINH, "environment")}
"""Met criteria that will be lost without maintenance."""


def make_communes() -> tuple[Commune, ...]:
    return (
        Commune(
            code=CHIENG_MAI,
            name="Xã Chiềng Mai",
            district="Huyện Mai Sơn",
            region="III",
            population=5300,
            households=1180,
            poverty_rate=0.2166,
            income_per_capita=38.5,
            extremely_difficult=True,
            difficult_villages=4,
        ),
        Commune(
            code=MUONG_BU,
            name="Xã Mường Bú",
            district="Huyện Mường La",
            region="II",
            population=12450,
            households=2710,
            poverty_rate=0.0875,
            atk=True,
        ),
        Commune(
            code=CHIENG_SINH,
            name="Phường Chiềng Sinh",
            district="Thành phố Sơn La",
            unit_type="ward",
            region="I",
            population=9800,
            households=2600,
            poverty_rate=0.012,
            income_per_capita=72.25,
            ntm_level="standard",
        ),
    )


def make_status(criteria_codes: tuple[str, ...]) -> tuple[CriterionStatus, ...]:
    return tuple(
        CriterionStatus(
            commune_code=commune,
            criterion_code=criterion,
            met=criterion not in gaps,
            gap=gaps.get(criterion, 0.0),
            at_risk=(commune, criterion) in AT_RISK,
        )
        for commune, gaps in GAPS.items()
        for criterion in criteria_codes
    )


def make_investments() -> tuple[Investment, ...]:
    return (
        Investment(
            code="INV0001",
            name="Đường liên xã Chiềng Mai – Mường Bú (6 km)",
            kind="infrastructure",
            category="road",
            cost=9000,
            duration_years=2,
        ),
        Investment(
            code="INV0002",
            name="Kênh mương bản Phiêng Ngùa",
            kind="infrastructure",
            category="irrigation",
            cost=2500,
            earliest_year=2023,
        ),
        Investment(
            code="INV0003",
            name="Hỗ trợ chăn nuôi bò sinh sản",
            kind="livelihood",
            category="livestock",
            cost=1200,
            duration_years=3,
        ),
        Investment(
            code="INV0004",
            name="Sửa chữa lưới điện bản Nà Ớt",
            kind="infrastructure",
            category="power",
            cost=800,
            maintenance=True,
        ),
    )


def make_effects() -> tuple[Effect, ...]:
    return (
        Effect(investment_code="INV0001", commune_code=CHIENG_MAI, criterion_code="transport", amount=3.5),
        Effect(investment_code="INV0001", commune_code=MUONG_BU, criterion_code="transport", amount=2.0),
        Effect(investment_code="INV0002", commune_code=CHIENG_MAI, criterion_code="irrigation", amount=12.0),
        Effect(investment_code="INV0003", commune_code=CHIENG_MAI, criterion_code="income", amount=6.25),
        Effect(investment_code="INV0004", commune_code=CHIENG_MAI, criterion_code="electricity", amount=1.0),
    )  # fmt: skip


def make_sources() -> tuple[FundingSource, ...]:
    return (
        FundingSource(
            code="central",
            name_vi="Ngân sách trung ương",
            name_en="Central budget",
            eligible_kinds=("infrastructure",),
            eligible_regions=("II", "III"),
        ),
        FundingSource(
            code="province",
            name_vi="Ngân sách tỉnh Sơn La",
            name_en="Provincial budget",
            max_share=0.5,
        ),
        FundingSource(
            code="vbsp",
            name_vi="Ngân hàng Chính sách xã hội",
            name_en="Vietnam Bank for Social Policies",
            kind="credit",
            eligible_kinds=("livelihood",),
            eligible_categories=("livestock", "value_chain"),
            eligible_flags=("extremely_difficult", "border"),
            max_share=0.7,
            max_poverty_rate=0.3,
        ),
    )


def make_budgets() -> tuple[Budget, ...]:
    return (
        Budget(source_code="central", year=2022, amount=6000),
        Budget(source_code="central", year=2023, amount=6500),
        Budget(source_code="central", year=2024, amount=0),
        Budget(source_code="province", year=2022, amount=2500),
        Budget(source_code="province", year=2023, amount=2500),
        Budget(source_code="vbsp", year=2022, amount=1000),
    )


def make_dataset() -> Dataset:
    criteria = builtin_criteria_set(CRITERIA_SET)
    return Dataset(
        info=DatasetInfo(
            name="Sơn La thử nghiệm",
            province="Sơn La",
            base_year=2021,
            criteria_set=CRITERIA_SET,
            description="Ba xã giả lập cho kiểm thử; tiền: triệu đồng.",
        ),
        criteria=criteria,
        communes=make_communes(),
        status=make_status(criteria.codes),
        investments=make_investments(),
        effects=make_effects(),
        sources=make_sources(),
        budgets=make_budgets(),
    )


@pytest.fixture(autouse=True)
def own_history_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Every test that solves in the app or the CLI records into a fresh SQLite file of its own
    (``NTM_DATABASE_URL``), never into ``~/.local/share/ntm-budget``; tests of the store's own
    configuration set or remove the variable themselves."""
    path = tmp_path_factory.mktemp("history") / "history.db"
    monkeypatch.setenv("NTM_DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.fixture(name="make_dataset")
def make_dataset_fixture() -> Callable[[], Dataset]:
    """The factory behind ``dataset``, for tests that need a second, independent copy."""
    return make_dataset


@pytest.fixture
def dataset() -> Dataset:
    """A tiny valid dataset: 3 units × 19 criteria, 4 items (one serving two communes), 3 sources."""
    return make_dataset()


@pytest.fixture
def csv_package(dataset: Dataset, tmp_path: Path) -> Path:
    """The ``dataset`` fixture written as a CSV package folder."""
    return save_csv(dataset, tmp_path / "package")


EXAMPLE_PACKAGE = Path(__file__).resolve().parents[1] / "data" / "example"


@pytest.fixture(scope="session")
def example() -> Dataset:
    """data/example (6 communes, 4 criteria, 14 items), loaded once: datasets are frozen."""
    return load_package(EXAMPLE_PACKAGE)


SON_LA_2021_PACKAGE = EXAMPLE_PACKAGE.parent / "son_la_2021"


@pytest.fixture(scope="session")
def son_la() -> Dataset:
    """data/son_la_2021 (188 communes, the reference dataset), loaded once: datasets are frozen."""
    return load_package(SON_LA_2021_PACKAGE)


# -- Dask ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dask_workers():
    """``dask_workers(n)``: an executor on a real LocalCluster of n worker processes, started once
    per module and n, and closed at the module's end (idle workers would burn CPU for the rest of
    the session, and pytest would wait on them)."""
    from optimizer.sweep import OnDask, close_clusters, dask_client

    yield lambda n: OnDask(dask_client(workers=n))
    close_clusters()


# -- app tests start signed in (issue 19: no page is shown before signing in) -------------------
APP_TEST_USER = "tester"
APP_TEST_PASSWORD = "Tester-Password-19"
"""The account app tests are signed in as: every role, in the test's own history store."""


def app_test_password(name: str) -> str:
    """``APP_TEST_PASSWORD``, unless it contains the user name (the policy refuses that)."""
    return (
        APP_TEST_PASSWORD
        if name.casefold() not in APP_TEST_PASSWORD.casefold()
        else "Qz-71-wm-Kv-9x"
    )


def app_test_user() -> str:
    """The signed-in app test's account: ``$NTM_USER`` when a test sets it, else ``tester``."""
    import os

    return os.environ.get("NTM_USER") or APP_TEST_USER


@pytest.fixture(scope="session")
def signed_in_store(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``signed_in_store(name)``: a SQLite history store holding only the account ``name`` (every
    role), built once per session and name; app tests start from a copy of it, so that each does
    not hash the password again (argon2 takes about 0.25 s of CPU on purpose)."""
    from store import Store
    from store.accounts import Role

    built: dict[str, Path] = {}

    def store_for(name: str) -> Path:
        if name not in built:
            path = tmp_path_factory.mktemp("signed-in") / "history.db"
            with Store.open(f"sqlite:///{path}") as history:
                history.add_user(name, app_test_password(name), set(Role))
            built[name] = path
        return built[name]

    return store_for


@pytest.fixture(autouse=True)
def signed_in_app(
    request: pytest.FixtureRequest,
    monkeypatch,
    own_history_store: Path,
    signed_in_store: Callable[[str], Path],
) -> None:
    """Every ``AppTest.from_file`` app starts signed in as ``tester`` (all roles, four-eyes rule
    off, so one session may submit and approve); tests marked ``signed_out`` see the forms.
    The test's own store, while it is still unused, starts as a copy of ``signed_in_store``."""
    import os
    import shutil
    import sys

    if "streamlit.testing.v1" not in sys.modules or request.node.get_closest_marker("signed_out"):
        return
    from streamlit.testing.v1 import AppTest

    from store import Store
    from store.accounts import Role

    original = AppTest.from_file

    def from_file(*args, **kwargs) -> AppTest:
        monkeypatch.setenv("NTM_FOUR_EYES", "false")
        name = app_test_user()
        own_url = f"sqlite:///{own_history_store}"
        if os.environ.get("NTM_DATABASE_URL") == own_url and not own_history_store.exists():
            shutil.copyfile(signed_in_store(name), own_history_store)
        with Store.open() as history:
            if not history.has_users():
                history.add_user(name, app_test_password(name), set(Role))
        app = original(*args, **kwargs)
        app.session_state["auth.user"] = name
        return app

    monkeypatch.setattr(AppTest, "from_file", staticmethod(from_file))


# -- the fast loop (issue 16): `pytest -m "not slow"` leaves out every real-browser test --------
@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every ``browser`` test is ``slow`` too: each starts a Streamlit server and a Chromium, so
    they run in the full test command (``scripts/test.sh``) and not in the quick loop."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)
