"""Texts of the Risk page (Rủi ro), vi and en; merged into ui.i18n.STRINGS."""

from __future__ import annotations

RISK_STRINGS: dict[str, dict[str, str]] = {
    "page.risk": {"vi": "Rủi ro", "en": "Risk"},
    "risk.title": {"vi": "Rủi ro của kế hoạch", "en": "How sure is the plan"},
    "risk.intro": {
        "vi": "Mỗi lần rút là một tương lai: chi phí công trình vượt dự toán, vốn giải ngân không "
        "đủ, dân đóng góp thiếu. Trong mỗi tương lai, tỉnh hoàn thành các hạng mục của kế hoạch "
        "trong phạm vi vốn, ưu tiên giữ nhiều xã đạt chuẩn nhất.",
        "en": "Each draw is a future: works overrun, money pays out short, people's contributions "
        "fall short. In each, the province completes the plan's items as far as the money allows, "
        "keeping the most communes at standard.",
    },
    "risk.scenario": {"vi": "Phương án: **{name}**", "en": "Scenario: **{name}**"},
    "risk.from_scenario": {
        "vi": "Giả định rủi ro lấy từ phần `uncertainty:` của phương án.",
        "en": "The risk assumptions come from the scenario's `uncertainty:` section.",
    },
    "risk.no_section": {
        "vi": "Phương án chưa có phần `uncertainty:`; dùng các giả định dưới đây.",
        "en": "The scenario has no `uncertainty:` section; the assumptions below are used.",
    },
    "risk.draws": {"vi": "Số lần rút", "en": "Draws"},
    "risk.seed": {"vi": "Hạt giống ngẫu nhiên", "en": "Seed"},
    "risk.overrun_median": {"vi": "Hệ số chi phí - trung vị", "en": "Cost multiplier - median"},
    "risk.overrun_p90": {"vi": "Hệ số chi phí - P90", "en": "Cost multiplier - P90"},
    "risk.payout_low": {"vi": "Tỷ lệ giải ngân thấp nhất (%)", "en": "Lowest payout (%)"},
    "risk.shortfall_high": {
        "vi": "Dân đóng góp thiếu tối đa (%)",
        "en": "Largest contribution shortfall (%)",
    },
    "risk.gamma": {
        "vi": "Γ (số hạng mục vượt chi mỗi nguồn)",
        "en": "Γ (items overrun per source)",
    },
    "risk.reserve": {"vi": "Dự phòng (%)", "en": "Reserve (%)"},
    "risk.compare": {
        "vi": "So sánh kế hoạch tất định, an toàn (Γ) và có dự phòng",
        "en": "Compare deterministic, robust (Γ) and reserve plans",
    },
    "risk.no_regret": {"vi": "Tìm hạng mục không hối tiếc", "en": "Find no-regret items"},
    "risk.run": {"vi": "Phân tích rủi ro", "en": "Analyse risk"},
    "risk.press_run": {
        "vi": "Chọn giả định và bấm **Phân tích rủi ro**.",
        "en": "Choose the assumptions and press **Analyse risk**.",
    },
    "risk.progress": {"vi": "Đang rút {done}/{total}…", "en": "Drawing {done}/{total}…"},
    "risk.solving_plan": {"vi": "Đang giải kế hoạch…", "en": "Solving the plan…"},
    "risk.bad_input": {"vi": "Giả định không hợp lệ: {reason}", "en": "Bad assumptions: {reason}"},
    "risk.planned": {"vi": "Xã đạt chuẩn theo kế hoạch", "en": "At standard as planned"},
    "risk.p10": {"vi": "P10 (tương lai xấu)", "en": "P10 (bad futures)"},
    "risk.p50": {"vi": "P50", "en": "P50"},
    "risk.p90": {"vi": "P90", "en": "P90"},
    "risk.short": {"vi": "Vốn thiếu trung bình", "en": "Money short, mean"},
    "risk.distribution": {
        "vi": "Phân phối số xã đạt chuẩn",
        "en": "Distribution of communes at standard",
    },
    "risk.draws_axis": {"vi": "Số lần rút", "en": "Draws"},
    "risk.count_axis": {"vi": "Số xã đạt chuẩn", "en": "Communes at standard"},
    "risk.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "risk.communes": {
        "vi": "Xác suất đạt chuẩn của từng xã",
        "en": "Each commune's probability of the standard",
    },
    "risk.district": {"vi": "Huyện", "en": "District"},
    "risk.all_districts": {"vi": "Tất cả", "en": "All"},
    "risk.unfinished": {
        "vi": "Hạng mục hay bị bỏ dở nhất",
        "en": "Items most often left unfinished",
    },
    "risk.plans": {
        "vi": "Tất định và an toàn, trên cùng các tương lai mới",
        "en": "Deterministic and robust, on the same fresh futures",
    },
    "risk.no_regret_title": {"vi": "Hạng mục không hối tiếc", "en": "No-regret items"},
    "risk.do_now": {
        "vi": "Làm ngay trong mọi trường hợp (≥ {share})",
        "en": "Do now regardless (≥ {share})",
    },
    "risk.do_not_start": {"vi": "Không nên khởi công (0%)", "en": "Do not start (0%)"},
    "risk.none": {"vi": "Không có.", "en": "None."},
    "risk.download": {"vi": "Tải báo cáo rủi ro (Excel)", "en": "Download the risk report (Excel)"},
    "risk.floor_lower_bound": {
        "vi": "Bài toán hoàn thành kế hoạch chỉ tối đa số xã đạt chuẩn rồi tối thiểu vốn; số xã "
        "đạt sàn tiêu chí là cận dưới.",
        "en": "The recourse keeps the most communes at standard, then spends the least; the "
        "counts at the criteria floor are a lower bound.",
    },
    "risk.caption": {
        "vi": "{draws} lần rút (hạt giống {seed}), {workers} tiến trình, {seconds} giây.",
        "en": "{draws} draws (seed {seed}), {workers} worker(s), {seconds} s.",
    },
}
