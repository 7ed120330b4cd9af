"""The Data page through streamlit.testing: it renders in both languages and shows the right figures.

Expected figures are counted here from the dataset's status rows, not taken from models.summary.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from models import Dataset
from models.io import load_package
from ui.format import number
from ui.state import DATA_ENV_VAR, SON_LA_2021_PATH

APP = Path(__file__).resolve().parents[1] / "app.py"
APP_TIMEOUT = 60
"""Seconds for one script run (the first one reads the Sơn La package)."""

needs_son_la = pytest.mark.skipif(
    not SON_LA_2021_PATH.exists(), reason="data/son_la_2021 is not built"
)


def open_app(monkeypatch: pytest.MonkeyPatch, data: Path | None = None) -> AppTest:
    """Run app.py once, on ``data`` (default: the bundled Sơn La 2021 package)."""
    monkeypatch.setenv(DATA_ENV_VAR, str(SON_LA_2021_PATH if data is None else data))
    app = AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT).run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def criteria_met(dataset: Dataset, communes: list[str]) -> list[int]:
    met = Counter(row.commune_code for row in dataset.status if row.met)
    return [met[code] for code in communes]


def rural_communes(dataset: Dataset, district: str | None = None) -> list[str]:
    return [
        c.code
        for c in dataset.communes
        if c.unit_type == "commune" and (district is None or c.district == district)
    ]


@pytest.fixture(scope="module")
def son_la() -> Dataset:
    return load_package(SON_LA_2021_PATH)


@needs_son_la
def test_renders_in_vietnamese_then_english(monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(monkeypatch)
    assert app.title[0].value == "Hiện trạng tiêu chí nông thôn mới"
    assert "**Tỉnh:** Sơn La" in app.markdown[0].value
    assert (
        "Bộ tiêu chí quốc gia về xã nông thôn mới 2021–2025 (19 tiêu chí)" in app.markdown[0].value
    )
    assert list(metrics(app)) == [
        "Số xã",
        "Đạt chuẩn nông thôn mới",
        "Bình quân tiêu chí đạt/xã",
        "Xã dưới 15 tiêu chí",
    ]
    assert [h.value for h in app.subheader] == [
        "Phân bố số tiêu chí đạt",
        "Số xã chưa đạt từng tiêu chí",
        "Các xã dưới 15 tiêu chí",
        "Bảng tiêu chí theo xã",
    ]
    assert len(app.get("vega_lite_chart")) == 3
    assert "Tỷ lệ hộ nghèo" in app.dataframe[0].value.columns

    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Where communes stand on the NTM criteria"
    assert list(metrics(app)) == [
        "Communes",
        "At NTM standard",
        "Mean criteria met",
        "Communes below 15 criteria",
    ]
    assert "." in metrics(app)["Mean criteria met"]
    assert "Poverty rate" in app.dataframe[0].value.columns


@needs_son_la
def test_kpis_are_the_dataset_figures(monkeypatch: pytest.MonkeyPatch, son_la: Dataset) -> None:
    size = son_la.criteria.size
    floor = round(15 / 19 * size)
    met = criteria_met(son_la, rural_communes(son_la))

    app = open_app(monkeypatch)
    assert app.number_input(key="data.floor").value == floor
    assert metrics(app) == {
        "Số xã": number(len(met)),
        "Đạt chuẩn nông thôn mới": number(sum(m == size for m in met)),
        "Bình quân tiêu chí đạt/xã": number(sum(met) / len(met), 1),
        f"Xã dưới {floor} tiêu chí": number(sum(m < floor for m in met)),
    }
    assert len(app.dataframe[0].value) == sum(m < floor for m in met)

    app.number_input(key="data.floor").set_value(10).run()
    assert metrics(app)["Xã dưới 10 tiêu chí"] == number(sum(m < 10 for m in met))


@needs_son_la
def test_district_filter_narrows_the_below_floor_table(
    monkeypatch: pytest.MonkeyPatch, son_la: Dataset
) -> None:
    floor = round(15 / 19 * son_la.criteria.size)
    district = "Huyện Sốp Cộp"
    below = [
        code
        for code, met in zip(
            rural_communes(son_la, district),
            criteria_met(son_la, rural_communes(son_la, district)),
            strict=True,
        )
        if met < floor
    ]
    names = {son_la.commune_by_code[code].name for code in below}

    app = open_app(monkeypatch)
    everywhere = len(app.dataframe[0].value)
    app.multiselect(key="data.districts").select(district).run()
    assert not app.exception
    table = app.dataframe[0].value
    assert 0 < len(table) < everywhere
    assert set(table["Xã"]) == names
    assert set(table["Huyện"]) == {district}
    assert metrics(app)["Số xã"] == number(len(rural_communes(son_la, district)))

    app.sidebar.radio(key="lang").set_value("en").run()  # the filter survives a language switch
    assert set(app.dataframe[0].value["District"]) == {district}


@needs_son_la
def test_group_filter_keeps_communes_of_the_group(
    monkeypatch: pytest.MonkeyPatch, son_la: Dataset
) -> None:
    border = [c.code for c in son_la.communes if c.border and c.unit_type == "commune"]
    app = open_app(monkeypatch)
    app.multiselect(key="data.groups").select("border").run()
    assert not app.exception
    assert metrics(app)["Số xã"] == number(len(border))
    assert all("Biên giới" in groups for groups in app.dataframe[0].value["Nhóm"])


def test_small_package_counts_wards_only_when_asked(
    monkeypatch: pytest.MonkeyPatch, csv_package: Path
) -> None:
    """conftest's package: two communes (16 and 17 criteria met) and a ward at standard."""
    app = open_app(monkeypatch, csv_package)
    assert "Sơn La thử nghiệm" in app.markdown[0].value
    assert metrics(app) == {
        "Số xã": "2",
        "Đạt chuẩn nông thôn mới": "0",
        "Bình quân tiêu chí đạt/xã": "16,5",
        "Xã dưới 15 tiêu chí": "0",
    }
    assert any("1 phường không được tính" in c.value for c in app.caption)
    assert app.success[0].value == "Không có xã nào dưới 15 tiêu chí trong phạm vi đang lọc."

    app.checkbox(key="data.wards").check().run()
    assert metrics(app)["Số xã"] == "3"
    assert metrics(app)["Đạt chuẩn nông thôn mới"] == "1"

    app.multiselect(key="data.groups").select("border").run()
    assert not app.exception
    assert app.info[0].value == "Không có xã nào phù hợp với bộ lọc."
    assert not app.metric


def test_broken_package_lists_its_problems(
    monkeypatch: pytest.MonkeyPatch, csv_package: Path
) -> None:
    communes = csv_package / "communes.csv"
    communes.write_text(communes.read_text(encoding="utf-8").replace(",III,", ",IV,"), "utf-8")
    app = open_app(monkeypatch, csv_package)
    assert "Không đọc được gói dữ liệu" in app.error[0].value
    assert "communes.csv dòng 2, cột region" in app.code[0].value
    assert not app.metric


def test_missing_package_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = open_app(monkeypatch, tmp_path / "no_such_package")
    assert app.error and "no_such_package: không tồn tại" in app.code[0].value


def test_example_package_with_its_own_criteria_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """data/example brings a 4-criterion set: the floor and every figure follow the set's size."""
    example = SON_LA_2021_PATH.parent / "example"
    if not example.exists():
        pytest.skip("data/example is not built")
    dataset = load_package(example)
    size = dataset.criteria.size
    codes = rural_communes(dataset)
    met = criteria_met(dataset, codes)

    app = open_app(monkeypatch, example)
    assert f"({size} tiêu chí)" in app.markdown[0].value
    assert app.number_input(key="data.floor").value == round(15 / 19 * size)
    app.number_input(key="data.floor").set_value(size - 1).run()
    assert not app.exception
    assert metrics(app) == {
        "Số xã": number(len(codes)),
        "Đạt chuẩn nông thôn mới": number(sum(m == size for m in met)),
        "Bình quân tiêu chí đạt/xã": number(sum(met) / len(met), 1),
        f"Xã dưới {size - 1} tiêu chí": number(sum(m < size - 1 for m in met)),
    }
