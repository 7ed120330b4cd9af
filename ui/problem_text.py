"""Problems found in a data package or a scenario, in the app's language.

``models`` writes its problems in English (the command line and the tests read them so). The app
shows planners the same problems in Vietnamese: each known message shape is rewritten with its
values kept; a message of another shape is shown as written.
"""

from __future__ import annotations

import re

WHAT_VI = {
    "commune": "xã",
    "district": "huyện",
    "funding source": "nguồn vốn",
    "investment": "hạng mục đầu tư",
    "criterion": "tiêu chí",
}
"""The things a reference may name (``unknown <what> 'X'``)."""

Rewrite = tuple[re.Pattern[str], str]
PATTERNS_VI: tuple[Rewrite, ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"is empty", "đang để trống"),
        (r"is empty \(no header\)", "trống (không có dòng tiêu đề)"),
        (r"table is missing", "thiếu bảng này"),
        (r"required column missing", "thiếu cột bắt buộc"),
        (r"column given twice", "cột bị lặp lại"),
        (r"unknown column; the columns are: (?P<v>.+)", "cột không có trong mẫu; các cột: {v}"),
        (r"unknown table; the tables are: (?P<v>.+)", "bảng không có trong mẫu; các bảng: {v}"),
        (
            r"unknown sheet; the sheets are: (?P<v>.+)",
            "trang tính không có trong mẫu; các trang: {v}",
        ),
        (
            r"is not UTF-8 text; save it as 'CSV UTF-8'",
            "không phải văn bản UTF-8; hãy lưu dưới dạng 'CSV UTF-8'",
        ),
        (
            r"malformed CSV: row (?P<row>\d+) has (?P<cells>\d+) cells; the header has (?P<k>\d+)",
            "tệp CSV lỗi: dòng {row} có {cells} ô nhưng dòng tiêu đề có {k} cột",
        ),
        (r"malformed CSV: (?P<v>.+)", "tệp CSV lỗi: {v}"),
        (
            r"is not a readable Excel workbook \((?P<v>.+)\)",
            "không đọc được như một tệp Excel ({v})",
        ),
        (r"(?P<v>.+) is negative; it must be 0 or more", "{v} là số âm; phải từ 0 trở lên"),
        (r"(?P<v>.+) is not a fraction between 0 and 1", "{v} không phải tỷ lệ từ 0 đến 1"),
        (r"(?P<v>.+) must be greater than 0", "{v} phải lớn hơn 0"),
        (
            r"(?P<v>.+) is not a code: use lower-case letters, digits and _ only",
            "{v} không phải mã: chỉ dùng chữ thường không dấu, chữ số và _",
        ),
        (
            r"(?P<v>.+) is not a yes/no value \(write true or false\)",
            "{v} không phải giá trị có/không (ghi true hoặc false)",
        ),
        (r"(?P<v>.+) repeats row (?P<row>\d+)", "{v} bị lặp (trùng dòng {row})"),
        (
            r"gap is 0 but met is false: give the remaining gap \(> 0\)",
            "khoảng thiếu bằng 0 nhưng met là false: ghi khoảng còn thiếu (> 0)",
        ),
        (
            r"gap is (?P<v>\S+) but met is true: a met criterion has gap 0",
            "khoảng thiếu là {v} nhưng met là true: tiêu chí đã đạt có khoảng thiếu 0",
        ),
        (
            r"investment (?P<v>\S+) has no effect: it closes no gap",
            "hạng mục {v} không có tác động nào: không lấp khoảng thiếu nào",
        ),
        (
            r"commune (?P<v>\S+) has no criteria_status row for: (?P<k>.+)",
            "xã {v} thiếu dòng criteria_status cho: {k}",
        ),
        (
            r"year (?P<v>\d+) is outside the horizon (?P<h>\S+)",
            "năm {v} nằm ngoài giai đoạn {h}",
        ),
        (
            r"(?P<v>\d+) is more than the (?P<n>\d+) communes that count in this dataset",
            "{v} nhiều hơn {n} xã được tính trong bộ dữ liệu",
        ),
        (r"'(?P<v>.*)' is not valid: (?P<why>.+)", "'{v}' không hợp lệ: {why}"),
        (r"start (?P<a>\d+) is after end (?P<b>\d+)", "năm đầu {a} sau năm cuối {b}"),
        (r"file not found", "không tìm thấy tệp"),
        (
            r"is a folder; give a scenario file \(\.yaml\)",
            "là thư mục; hãy chọn tệp kịch bản (.yaml)",
        ),
    )
)
UNKNOWN = re.compile(
    r"unknown (?P<what>[a-z ]+?)(?P<more> \(not in set \S+\))? (?P<value>'[^']*')"
    r"(?: \(known: (?P<known>.+)\))?"
)


def problem_text(message: str, lang: str) -> str:
    """``message`` (English, from ``models``) in ``lang``; unknown shapes stay as written."""
    if lang != "vi":
        return message
    found = UNKNOWN.fullmatch(message)
    if found is not None:
        what = WHAT_VI.get(found["what"], found["what"])
        known = f" (có: {found['known']})" if found["known"] else ""
        return f"không có {what} {found['value']} trong bộ dữ liệu{known}"
    for pattern, text in PATTERNS_VI:
        matched = pattern.fullmatch(message)
        if matched is not None:
            return text.format(**matched.groupdict())
    return message


def problem_line(problem: object, lang: str) -> str:
    """A located problem (``budgets.csv row 2, column amount: is empty``) with its message in
    ``lang`` and its place as written."""
    text, message = str(problem), str(getattr(problem, "message", ""))
    if message and text.endswith(message):
        return text[: len(text) - len(message)] + problem_text(message, lang)
    return text


def scenario_file_line(line: str, lang: str) -> str:
    """A scenario file's problem (``horizon: start 2027 is after end 2026``) in ``lang``."""
    whole = problem_text(line, lang)
    if whole != line or ": " not in line:
        return whole
    field, message = line.split(": ", 1)
    return f"{field}: {problem_text(message, lang)}"
