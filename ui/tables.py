"""Tables of ``models.summary`` dressed for reading: translated headers, names, formatted numbers.

Values stay numbers underneath (so a column sorts by value); a pandas Styler gives them their
Vietnamese or English text.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from models.commune import CommuneFlag
from models.criteria import CriteriaSet
from ui.format import number, percent
from ui.i18n import criterion_label, current_language, flag_short, region_name, t


def below_floor_table(
    below: pd.DataFrame, criteria: CriteriaSet, lang: str | None = None
) -> Styler:
    """Communes below the floor: name, district, region, criteria met, poverty, groups, gaps."""
    lang = lang or current_language()
    flags = [
        ", ".join(flag_short(f, lang) for f in CommuneFlag if row[f.value])
        for _, row in below.iterrows()
    ]
    unmet = [
        "; ".join(criterion_label(criteria.by_code[code], lang) for code in codes)
        for codes in below["unmet_codes"]
    ]
    columns = {
        "commune": t("col.commune", lang),
        "district": t("col.district", lang),
        "region": t("col.region", lang),
        "met": t("col.criteria_met", lang),
        "poverty": t("col.poverty_rate", lang),
        "population": t("col.population", lang),
        "flags": t("col.flags", lang),
        "unmet": t("col.unmet", lang),
    }
    frame = pd.DataFrame(
        {
            columns["commune"]: below["name"].to_numpy(),
            columns["district"]: below["district"].to_numpy(),
            columns["region"]: [region_name(r, lang) for r in below["region"]],
            columns["met"]: below["criteria_met"].to_numpy(),
            columns["poverty"]: below["poverty_rate"].to_numpy(),
            columns["population"]: below["population"].to_numpy(),
            columns["flags"]: flags,
            columns["unmet"]: unmet,
        }
    )
    return frame.style.format(
        {
            columns["met"]: lambda v: f"{v}/{criteria.size}",
            columns["poverty"]: lambda v: percent(v, 1, lang),
            columns["population"]: lambda v: number(v, 0, lang),
        }
    )
