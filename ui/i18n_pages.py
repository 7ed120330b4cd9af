"""Texts of the pages' safeguards and views added for issue #17 (merged into ``ui.i18n.STRINGS``).

Kept apart so that the main table stays easy to merge; the same shape: key → {"vi": …, "en": …}.
"""

from __future__ import annotations

PAGE_STRINGS: dict[str, dict[str, str]] = {
    "scenario.edited_suffix": {"vi": "bản sửa", "en": "edited"},
    "scenario.renamed": {
        "vi": "Kịch bản đã sửa nên được đặt tên «{new}» để không thay thế «{old}» (trong So sánh "
        "và Lịch sử, mỗi tên là một kịch bản). Muốn tên khác, hãy đổi ô «Tên kịch bản».",
        "en": "The edited scenario is named «{new}» so that it does not replace «{old}» (in "
        "Compare and History a name is one scenario). Change «Scenario name» for another name.",
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
}
