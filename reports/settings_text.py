"""A scenario's settings in the reader's words: sources, policies and targets by name, in vi or en.

``tables.settings_table`` writes the settings for CSV and JSON (English, codes kept for scripts);
the workbook shows them through these functions, so the Vietnamese workbook reads
"Ngân sách trung ương × 0,8" where the CSV keeps "central × 0.8".
"""

from __future__ import annotations

from models.dataset import Dataset
from models.scenario import Scenario

TEXTS: dict[str, dict[str, str]] = {
    "min_share": {
        "vi": "Tỷ lệ vốn tối thiểu «{name}»: {share} cho {group}",
        "en": "Minimum share «{name}»: {share} to {group}",
    },
    "min_share_of": {"vi": " (vốn {source})", "en": " (of {source})"},
    "must_reach": {
        "vi": "Phải đạt chuẩn «{name}»: {communes}",
        "en": "Must reach the standard «{name}»: {communes}",
    },
    "by_year": {"vi": " trước hết năm {year}", "en": " by {year}"},
    "co_financing": {
        "vi": "Vốn đối ứng «{name}»: {source} ≥ {ratio} × {of_source}",
        "en": "Co-financing «{name}»: {source} ≥ {ratio} × {of_source}",
    },
    "commune_cap": {
        "vi": "Vốn tối đa mỗi xã: {cap} triệu đồng",
        "en": "Most money per commune: {cap} million VND",
    },
    "maintain_standard": {
        "vi": "Giữ chuẩn cho các xã đã đạt chuẩn",
        "en": "Communes at standard keep it",
    },
    "committed": {"vi": "Hạng mục đã cam kết: {items}", "en": "Committed items: {items}"},
    "forced_out": {"vi": "Hạng mục không bố trí: {items}", "en": "Items left out: {items}"},
    "district_equity": {
        "vi": "Cân đối giữa các huyện «{name}»: tối thiểu {communes} xã, {share} vốn mỗi huyện",
        "en": "District equity «{name}»: at least {communes} communes, {share} of the money "
        "per district",
    },
    "include_wards": {"vi": "Tính cả phường vào chỉ tiêu", "en": "Wards count in the targets"},
    "target_standard": {
        "vi": "Số xã đạt chuẩn ≥ {count}",
        "en": "Communes at standard ≥ {count}",
    },
    "target_floor": {
        "vi": "Không xã nào dưới {floor} tiêu chí",
        "en": "No commune below {floor} criteria",
    },
    "group.extremely_difficult": {
        "vi": "xã đặc biệt khó khăn",
        "en": "extremely difficult communes",
    },
    "group.border": {"vi": "xã biên giới", "en": "border communes"},
    "group.atk": {"vi": "xã ATK", "en": "ATK communes"},
    "group.below_floor": {"vi": "xã dưới ngưỡng tiêu chí", "en": "communes below the floor"},
    "group.region_iii": {"vi": "xã khu vực III", "en": "Region III communes"},
    "group.district": {"vi": "{district}", "en": "{district}"},
}


def _text(key: str, lang: str, **values: object) -> str:
    entry = TEXTS[key]
    return (entry.get(lang) or entry["vi"]).format(**values)


def number(value: float, lang: str) -> str:
    """A number as the language writes it: 1.250.000 and 0,8 in Vietnamese, 1,250,000 and 0.8 in
    English (whole numbers without decimals)."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0")
    if lang == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def share(value: float, lang: str) -> str:
    """A share as a percentage: 0.1 → 10%."""
    return f"{number(round(value * 100, 2), lang)}%"


class SettingsText:
    """The settings rows whose values are sentences (sources, policies, targets) in ``lang``."""

    def __init__(self, dataset: Dataset, lang: str) -> None:
        self.lang = lang
        self.sources = {s.code: (s.name_vi if lang == "vi" else s.name_en) for s in dataset.sources}
        self.communes = {c.code: c.name for c in dataset.communes}
        self.items = {i.code: i.name for i in dataset.investments}
        self.size = dataset.criteria.size

    def source(self, code: str | None) -> str:
        return self.sources.get(code or "", code or "")

    def scale_by_source(self, scenario: Scenario) -> str:
        return "; ".join(
            f"{self.source(k)} × {number(v, self.lang)}"
            for k, v in scenario.budgets.scale_by_source.items()
        )

    def overrides(self, scenario: Scenario) -> str:
        return "; ".join(
            f"{self.source(o.source)} {o.year}: {number(o.amount, self.lang)}"
            for o in scenario.budgets.overrides
        )

    def policies(self, scenario: Scenario) -> str:
        p, lang = scenario.policies, self.lang
        lines = []
        for m in p.min_shares:
            group = _text(f"group.{m.group.value}", lang, district=m.district or "")
            line = _text("min_share", lang, name=m.name, share=share(m.share, lang), group=group)
            if m.source:
                line += _text("min_share_of", lang, source=self.source(m.source))
            lines.append(line)
        for m in p.must_reach:
            names = [self.communes.get(c, c) for c in m.communes] + list(m.districts)
            line = _text("must_reach", lang, name=m.name, communes=", ".join(names))
            if m.by_year:
                line += _text("by_year", lang, year=m.by_year)
            lines.append(line)
        for c in p.co_financing:
            lines.append(
                _text(
                    "co_financing",
                    lang,
                    name=c.name,
                    source=self.source(c.source),
                    ratio=number(c.ratio, lang),
                    of_source=self.source(c.of_source),
                )
            )
        if p.commune_cap is not None:
            lines.append(_text("commune_cap", lang, cap=number(p.commune_cap, lang)))
        if p.maintain_standard:
            lines.append(_text("maintain_standard", lang))
        if p.committed:
            items = ", ".join(self.items.get(c.investment, c.investment) for c in p.committed)
            lines.append(_text("committed", lang, items=items))
        if p.forced_out:
            items = ", ".join(self.items.get(c, c) for c in p.forced_out)
            lines.append(_text("forced_out", lang, items=items))
        if p.district_equity is not None:
            e = p.district_equity
            lines.append(
                _text(
                    "district_equity",
                    lang,
                    name=e.name,
                    communes=e.min_communes,
                    share=share(e.min_share, lang),
                )
            )
        if p.include_wards:
            lines.append(_text("include_wards", lang))
        return "; ".join(lines)

    def targets(self, scenario: Scenario) -> str:
        t, lang = scenario.targets, self.lang
        lines = []
        if t.communes_at_standard is not None:
            lines.append(_text("target_standard", lang, count=t.communes_at_standard))
        if t.no_commune_below_floor:
            lines.append(_text("target_floor", lang, floor=scenario.floor_for(self.size)))
        text = "; ".join(lines)
        if text and t.by_year:
            text += _text("by_year", lang, year=t.by_year)
        return text

    def values(self, scenario: Scenario) -> dict[str, str]:
        """Setting key → its value in the language, for the settings written as sentences."""
        return {
            "scale_by_source": self.scale_by_source(scenario),
            "overrides": self.overrides(scenario),
            "policies": self.policies(scenario),
            "targets": self.targets(scenario),
        }
