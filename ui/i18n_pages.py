"""Texts of the pages' safeguards and views added for issue #17 (merged into ``ui.i18n.STRINGS``).

Kept apart so that the main table stays easy to merge; the same shape: key → {"vi": …, "en": …}.
"""

from __future__ import annotations

PAGE_STRINGS: dict[str, dict[str, str]] = {
    "scenario.edited_suffix": {"vi": "bản sửa", "en": "edited"},
    "scenario.renamed": {
        "vi": "Kịch bản đã sửa nên được đặt tên «{new}» để không thay thế «{old}» (trong So sánh "
        "và Lịch sử, mỗi tên là một kịch bản). Muốn tên khác, hãy đổi ô «Tên kịch bản»; muốn "
        "lưu thành phiên bản mới của «{old}», hãy gõ lại đúng tên đó.",
        "en": "The edited scenario is named «{new}» so that it does not replace «{old}» (in "
        "Compare and History a name is one scenario). Change «Scenario name» for another name; "
        "to make it a new version of «{old}», type that name back.",
    },
    "scenario.saved_file": {
        "vi": "Đã lưu kịch bản «{name}» vào tệp {file}.",
        "en": "Scenario «{name}» saved to the file {file}.",
    },
    "scenario.overwrite_ask": {
        "vi": "Tệp {file} đã có kịch bản «{other}». Ghi đè bằng «{name}»?",
        "en": "The file {file} already holds the scenario «{other}». Replace it with «{name}»?",
    },
    "scenario.overwrite_yes": {"vi": "Ghi đè", "en": "Replace"},
    "scenario.overwrite_no": {"vi": "Không ghi đè", "en": "Keep the file"},
    "scenario.overwrite_kept": {
        "vi": "Chưa lưu: tệp {file} giữ nguyên. Đổi tên kịch bản để lưu vào tệp khác.",
        "en": "Not saved: the file {file} is unchanged. Rename the scenario to save another file.",
    },
    "compare.unspent": {"vi": "chưa dùng {amount}", "en": "{amount} unspent"},
    "compare.all_spent": {"vi": "dùng hết ngân sách", "en": "whole budget used"},
    "compare.money_help": {
        "vi": "Ngân sách của phương án {budget}, dùng {used}, chưa dùng {unspent} (tiền chưa "
        "dùng không phải là tiết kiệm: các xã không nhận được). So với phương án gốc: {delta} "
        "tỷ đồng.",
        "en": "The plan's budget {budget}, used {used}, unspent {unspent} (unspent money is no "
        "saving: no commune gets it). Against the reference: {delta} billion VND.",
    },
    "form.problem.scale_missing": {
        "vi": "Hệ số chung (%) đang trống: hãy nhập một số, ví dụ 100.",
        "en": "The overall factor (%) is empty: enter a number, e.g. 100.",
    },
    "form.problem.scale_negative": {
        "vi": "Hệ số chung {value}% là số âm: ngân sách không thể âm, nên kịch bản chưa chạy "
        "được. Hãy nhập một hệ số từ 0 trở lên.",
        "en": "The overall factor {value}% is negative: a budget cannot be negative, so the "
        "scenario is not run. Enter a factor of 0 or more.",
    },
    "form.problem.factor_negative": {
        "vi": "Hệ số của nguồn «{source}» là {value}%, số âm: ngân sách không thể âm, nên kịch "
        "bản chưa chạy được.",
        "en": "The factor of «{source}» is {value}%, negative: a budget cannot be negative, so "
        "the scenario is not run.",
    },
    "form.problem.amount_negative": {
        "vi": "Ngân sách «{source}» năm {year} là {value} tỷ đồng, số âm: ngân sách không thể "
        "âm, nên kịch bản chưa chạy được.",
        "en": "The budget of «{source}» in {year} is {value} billion VND, negative: a budget "
        "cannot be negative, so the scenario is not run.",
    },
    "form.problem.amount_too_large": {
        "vi": "Ngân sách «{source}» năm {year} là {value} tỷ đồng, {cap}: có lẽ gõ nhầm, nên "
        "kịch bản chưa chạy được.",
        "en": "The budget of «{source}» in {year} is {value} billion VND, {cap}: probably a "
        "typing slip, so the scenario is not run.",
    },
    "form.problem.cap": {
        "vi": "vượt mức tối đa {cap} (10^12 triệu đồng)",
        "en": "above the maximum of {cap} (10^12 million VND)",
    },
    "form.budgets": {"vi": "Ngân sách", "en": "Budgets"},
    "form.budget_refused": {
        "vi": "Chưa chạy được kịch bản với ngân sách này:",
        "en": "The scenario cannot be run with these budgets:",
    },
    "form.horizon": {"vi": "Giai đoạn", "en": "Horizon"},
    "frontier.at_current_title": {
        "vi": "Ở mức 100%: đường biên và phương án",
        "en": "At 100%: the frontier and the plan",
    },
    "frontier.at_current_figure": {"vi": "Chỉ tiêu", "en": "Figure"},
    "frontier.at_current_frontier": {
        "vi": "Đường biên (nhiều xã đạt chuẩn nhất, rồi ít vốn nhất)",
        "en": "Frontier (most communes at standard, then least money)",
    },
    "frontier.at_current_plan": {
        "vi": "Phương án (mọi mục tiêu của kịch bản)",
        "en": "Plan (every objective of the scenario)",
    },
    "frontier.at_current_note": {
        "vi": "Mỗi điểm của đường biên chỉ giải hai mục tiêu: nhiều xã đạt chuẩn nhất, rồi ít vốn "
        "nhất cho số xã đó. Phương án giải các mục tiêu của kịch bản theo thứ tự ({objectives}), "
        "nên số xã đạt sàn và số vốn có thể khác.",
        "en": "Each frontier point solves two objectives only: the most communes at standard, "
        "then the least money for them. The plan solves the scenario's objectives in order "
        "({objectives}), so its communes at the floor and its money may differ.",
    },
    "frontier.at_current_no_plan": {
        "vi": "Mỗi điểm của đường biên chỉ giải hai mục tiêu: nhiều xã đạt chuẩn nhất, rồi ít vốn "
        "nhất cho số xã đó. Phương án của kịch bản giải mọi mục tiêu ({objectives}), nên số xã "
        "đạt sàn và số vốn có thể khác; chạy kịch bản để xem hai bên cạnh nhau.",
        "en": "Each frontier point solves two objectives only: the most communes at standard, "
        "then the least money for them. The scenario's plan solves every objective "
        "({objectives}), so its communes at the floor and its money may differ; run the scenario "
        "to see both side by side.",
    },
    "page.groups": {"vi": "Theo huyện", "en": "By district"},
    "groups.title": {"vi": "Xã theo huyện và nhóm", "en": "Communes by district and group"},
    "groups.intro": {
        "vi": "Mỗi huyện (hoặc nhóm xã): số xã theo tiêu chí đạt, số xã dưới ngưỡng, và số vốn ít "
        "nhất đưa từng xã dưới ngưỡng lên ngưỡng và lên chuẩn (tính từ bộ dữ liệu và kịch bản "
        "đang làm). Bấm tiêu đề cột để sắp xếp.",
        "en": "Per district (or commune group): communes by criteria met, communes below the "
        "floor, and the least money that brings each below-floor commune to the floor and to "
        "standard (from the package and the current scenario). Click a header to sort.",
    },
    "groups.by": {"vi": "Nhóm theo", "en": "Group by"},
    "groups.by_district": {"vi": "Huyện", "en": "District"},
    "groups.by_region": {"vi": "Khu vực (nhóm xã)", "en": "Region (commune group)"},
    "groups.by_border": {"vi": "Xã biên giới", "en": "Border commune"},
    "groups.by_extremely_difficult": {"vi": "Xã ĐBKK", "en": "Extremely difficult"},
    "groups.by_atk": {"vi": "Xã ATK", "en": "Safe-zone (ATK)"},
    "groups.flag_yes": {"vi": "{flag}: có", "en": "{flag}: yes"},
    "groups.flag_no": {"vi": "{flag}: không", "en": "{flag}: no"},
    "groups.computing": {"vi": "Đang tính vốn cần cho từng xã…", "en": "Costing each commune…"},
    "groups.communes": {"vi": "Số xã", "en": "Communes"},
    "groups.at_standard": {"vi": "Đạt chuẩn", "en": "At standard"},
    "groups.at_floor": {"vi": "Đạt từ {floor} tiêu chí", "en": "{floor}+ criteria"},
    "groups.below_floor": {"vi": "Dưới {floor} tiêu chí", "en": "Below {floor}"},
    "groups.mean_met": {"vi": "Bình quân tiêu chí đạt", "en": "Mean criteria met"},
    "groups.criteria_met": {"vi": "Tiêu chí đạt", "en": "Criteria met"},
    "groups.to_floor": {"vi": "Vốn lên ngưỡng (tỷ đồng)", "en": "To the floor (billion VND)"},
    "groups.to_standard": {"vi": "Vốn lên chuẩn (tỷ đồng)", "en": "To standard (billion VND)"},
    "groups.table_title": {"vi": "Theo {by}", "en": "By {by}"},
    "groups.table_caption": {
        "vi": "Ngưỡng {floor} tiêu chí của kịch bản «{scenario}». Vốn của nhóm là tổng vốn ít "
        "nhất của từng xã dưới ngưỡng tính riêng (công trình dùng chung tính đủ cho mỗi xã), nên "
        "là mức trên của số cần cho cả nhóm.",
        "en": "The floor of {floor} criteria of «{scenario}». A group's money is the sum of each "
        "below-floor commune's least money on its own (a shared work at its full cost for each), "
        "so an upper bound on what the group needs together.",
    },
    "groups.below_title": {
        "vi": "Các xã dưới {floor} tiêu chí và vốn ít nhất cho từng xã",
        "en": "Communes below {floor} criteria and the least money for each",
    },
    "groups.download": {"vi": "Tải bảng (CSV)", "en": "Download the table (CSV)"},
    "map.title": {"vi": "Bản đồ các xã", "en": "Map of the communes"},
    "map.caption_data": {
        "vi": "Mỗi chấm là một xã theo tọa độ trong bộ dữ liệu, màu theo số tiêu chí đạt. Bấm "
        "vào một xã để mở trang Xã.",
        "en": "Each dot is a commune at the package's coordinates, coloured by criteria met. Click "
        "a commune to open it on the Commune page.",
    },
    "map.caption_results": {
        "vi": "Mỗi chấm là một xã, màu theo kết quả của phương án. Bấm vào một xã để mở trang Xã.",
        "en": "Each dot is a commune, coloured by the plan's outcome. Click a commune to open it "
        "on the Commune page.",
    },
    "map.criteria_met": {"vi": "Tiêu chí đạt", "en": "Criteria met"},
}
