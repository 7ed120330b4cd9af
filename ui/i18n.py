"""Every text the app shows, keyed, in Vietnamese (the default) and English.

Pages never write a label inline: they call ``t("kpi.communes")``. The language is the one chosen in
the sidebar (``st.session_state["lang"]``); pure code and tests may pass ``lang`` explicitly.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from models.commune import CommuneFlag
from models.criteria import Criterion
from models.funding import FundingSource
from models.scenario import CommuneGroup, Objective
from reports import notes
from ui.i18n_pages import PAGE_STRINGS

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
"""Language code → its name in that language, in the order the switch shows them."""
DEFAULT_LANGUAGE = "vi"
LANGUAGE_KEY = "lang"
"""Session-state key of the chosen language."""

STRINGS: dict[str, dict[str, str]] = {
    # -- app and navigation -----------------------------------------------------------------------
    "app.title": {
        "vi": "Phân bổ vốn nông thôn mới",
        "en": "New Rural Development budget",
    },
    "sidebar.language": {"vi": "Ngôn ngữ / Language", "en": "Ngôn ngữ / Language"},
    "sidebar.data_source": {"vi": "Dữ liệu đang dùng: `{path}`", "en": "Data in use: `{path}`"},
    "sidebar.user": {"vi": "Người dùng", "en": "User"},
    "sidebar.user_help": {
        "vi": "Tên được ghi vào lịch sử cùng mỗi lần chạy và mỗi bước phê duyệt.",
        "en": "The name recorded in the history with every run and approval step.",
    },
    "page.data": {"vi": "Dữ liệu", "en": "Data"},
    # -- loading ----------------------------------------------------------------------------------
    "load.error": {
        "vi": "Không đọc được gói dữ liệu `{path}` — chưa có dữ liệu nào được nạp.",
        "en": "Could not load the data package `{path}` — nothing was loaded.",
    },
    "load.hint": {
        "vi": "Sửa các lỗi dưới đây trong tệp dữ liệu rồi tải lại trang (định dạng: docs/data-format.md).",
        "en": "Fix the problems below in the data files, then reload the page (format: docs/data-format.md).",
    },
    "load.spinner": {"vi": "Đang đọc dữ liệu…", "en": "Loading data…"},
    # -- data page: header ------------------------------------------------------------------------
    "data.title": {
        "vi": "Hiện trạng tiêu chí nông thôn mới",
        "en": "Where communes stand on the NTM criteria",
    },
    "data.info": {
        "vi": "**Bộ dữ liệu:** {name} · **Tỉnh:** {province} · **Năm cơ sở:** {year} · "
        "**Bộ tiêu chí:** {criteria_set} ({size} tiêu chí)",
        "en": "**Data package:** {name} · **Province:** {province} · **Base year:** {year} · "
        "**Criteria set:** {criteria_set} ({size} criteria)",
    },
    "data.about": {"vi": "Nguồn và mô tả dữ liệu", "en": "Source and description of the data"},
    "data.source": {"vi": "**Nguồn:** {source}", "en": "**Source:** {source}"},
    # -- data page: filters -----------------------------------------------------------------------
    "filter.district": {"vi": "Huyện", "en": "District"},
    "filter.district_all": {"vi": "Tất cả các huyện", "en": "All districts"},
    "filter.group": {"vi": "Nhóm xã", "en": "Commune group"},
    "filter.group_all": {"vi": "Tất cả các nhóm", "en": "All groups"},
    "filter.floor": {"vi": "Ngưỡng tối thiểu (số tiêu chí)", "en": "Floor (criteria met)"},
    "filter.floor_help": {
        "vi": "Đếm các xã đạt ít hơn số tiêu chí này. Mặc định {default}/{size}: mục tiêu "
        "“không còn xã dưới {default} tiêu chí” của tỉnh.",
        "en": "Counts communes meeting fewer criteria than this. Default {default}/{size}: the "
        "province's target of no commune below {default} criteria.",
    },
    "filter.include_wards": {"vi": "Tính cả phường", "en": "Include wards"},
    "filter.wards_left_out": {
        "vi": "{count} phường không được tính (không thuộc mục tiêu xã nông thôn mới).",
        "en": "{count} wards are left out (they do not count towards commune targets).",
    },
    "filter.empty": {
        "vi": "Không có xã nào phù hợp với bộ lọc.",
        "en": "No commune matches the filters.",
    },
    # -- data page: KPIs --------------------------------------------------------------------------
    "kpi.communes": {"vi": "Số xã", "en": "Communes"},
    "kpi.communes_help": {
        "vi": "Số xã trong phạm vi đang lọc.",
        "en": "Communes in the current selection.",
    },
    "kpi.at_standard": {"vi": "Đạt chuẩn nông thôn mới", "en": "At NTM standard"},
    "kpi.at_standard_help": {
        "vi": "Xã đạt đủ {size}/{size} tiêu chí: {share} số xã.",
        "en": "Communes meeting all {size} criteria: {share} of communes.",
    },
    "kpi.mean_met": {"vi": "Bình quân tiêu chí đạt/xã", "en": "Mean criteria met"},
    "kpi.mean_met_help": {
        "vi": "Trung bình số tiêu chí đạt của một xã, trên tổng số {size} tiêu chí.",
        "en": "Mean number of criteria a commune meets, out of {size}.",
    },
    "kpi.below_floor": {"vi": "Xã dưới {floor} tiêu chí", "en": "Communes below {floor} criteria"},
    "kpi.below_floor_help": {
        "vi": "Xã đạt ít hơn {floor} trong {size} tiêu chí: nhóm ưu tiên vốn.",
        "en": "Communes meeting fewer than {floor} of {size} criteria: a funding priority.",
    },
    # -- data page: charts ------------------------------------------------------------------------
    "chart.distribution": {"vi": "Phân bố số tiêu chí đạt", "en": "Communes by criteria met"},
    "chart.distribution_x": {"vi": "Số tiêu chí đạt", "en": "Criteria met"},
    "chart.communes": {"vi": "Số xã", "en": "Communes"},
    "chart.band": {"vi": "Nhóm", "en": "Band"},
    "band.below": {"vi": "Dưới ngưỡng", "en": "Below floor"},
    "band.between": {"vi": "Chưa đạt chuẩn", "en": "Not yet at standard"},
    "band.standard": {"vi": "Đạt chuẩn", "en": "At standard"},
    "chart.unmet": {
        "vi": "Số xã chưa đạt từng tiêu chí",
        "en": "Communes not meeting each criterion",
    },
    "chart.unmet_x": {"vi": "Số xã chưa đạt", "en": "Communes not meeting it"},
    "chart.criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "chart.kind": {"vi": "Loại tiêu chí", "en": "Kind"},
    "heatmap.title": {"vi": "Bảng tiêu chí theo xã", "en": "Criteria by commune"},
    "heatmap.caption": {
        "vi": "Mỗi hàng là một xã (xã đạt ít tiêu chí nhất ở trên), mỗi cột là một tiêu chí. "
        "Rê chuột lên ô để xem phần còn thiếu.",
        "en": "One row per commune (fewest criteria met on top), one column per criterion. "
        "Hover over a cell to see the gap.",
    },
    "heatmap.commune": {"vi": "Xã", "en": "Commune"},
    "heatmap.status": {"vi": "Tình trạng", "en": "Status"},
    "heatmap.gap": {"vi": "Còn thiếu", "en": "Gap"},
    "status.met": {"vi": "Đạt", "en": "Met"},
    "status.unmet": {"vi": "Chưa đạt", "en": "Not met"},
    # -- data page: below-floor table -------------------------------------------------------------
    "below.title": {"vi": "Các xã dưới {floor} tiêu chí", "en": "Communes below {floor} criteria"},
    "below.count": {
        "vi": "{count} xã, xếp từ xã đạt ít tiêu chí nhất.",
        "en": "{count} communes, fewest criteria met first.",
    },
    "below.none": {
        "vi": "Không có xã nào dưới {floor} tiêu chí trong phạm vi đang lọc.",
        "en": "No commune in the selection meets fewer than {floor} criteria.",
    },
    "col.commune": {"vi": "Xã", "en": "Commune"},
    "col.district": {"vi": "Huyện", "en": "District"},
    "col.region": {"vi": "Khu vực", "en": "Region"},
    "col.criteria_met": {"vi": "Tiêu chí đạt", "en": "Criteria met"},
    "col.poverty_rate": {"vi": "Tỷ lệ hộ nghèo", "en": "Poverty rate"},
    "col.population": {"vi": "Dân số", "en": "Population"},
    "col.flags": {"vi": "Nhóm", "en": "Groups"},
    "col.unmet": {"vi": "Tiêu chí chưa đạt", "en": "Criteria not met"},
    # -- domain words -----------------------------------------------------------------------------
    "region": {"vi": "Khu vực {region}", "en": "Region {region}"},
    "group.extremely_difficult": {"vi": "Xã đặc biệt khó khăn", "en": "Extremely difficult"},
    "group.border": {"vi": "Xã biên giới", "en": "Border"},
    "group.atk": {"vi": "Xã an toàn khu (ATK)", "en": "Safe zone (ATK)"},
    "flag.extremely_difficult": {"vi": "ĐBKK", "en": "Extremely difficult"},
    "flag.border": {"vi": "Biên giới", "en": "Border"},
    "flag.atk": {"vi": "ATK", "en": "ATK"},
    "kind.infrastructure": {"vi": "Hạ tầng", "en": "Infrastructure"},
    "kind.livelihood": {"vi": "Sinh kế", "en": "Livelihood"},
    "kind.social": {"vi": "Xã hội", "en": "Social"},
    "kind.governance": {"vi": "Quản lý", "en": "Governance"},
    "criteria_set.ntm_2021_2025": {
        "vi": "Bộ tiêu chí quốc gia về xã nông thôn mới 2021–2025",
        "en": "National NTM commune criteria 2021–2025",
    },
    "criteria_set.ntm_2026_2030": {
        "vi": "Bộ tiêu chí quốc gia về xã nông thôn mới 2026–2030",
        "en": "National NTM commune criteria 2026–2030",
    },
    # -- navigation -------------------------------------------------------------------------------
    "nav.status": {"vi": "Hiện trạng", "en": "Current status"},
    "nav.plan": {"vi": "Lập kế hoạch vốn", "en": "Budget planning"},
    "page.import": {"vi": "Nhập dữ liệu", "en": "Import data"},
    "page.scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "page.results": {"vi": "Kết quả", "en": "Results"},
    "page.compare": {"vi": "So sánh", "en": "Compare"},
    "page.frontier": {"vi": "Đường biên ngân sách", "en": "Budget frontier"},
    "page.commune": {"vi": "Xã", "en": "Commune"},
    "page.history": {"vi": "Lịch sử", "en": "History"},
    "page.progress": {"vi": "Tiến độ", "en": "Progress"},
    # -- words shared by the planning pages -------------------------------------------------------
    "objective.communes_at_standard": {
        "vi": "Nhiều xã đạt chuẩn nông thôn mới nhất",
        "en": "Most communes at the NTM standard",
    },
    "objective.communes_at_floor": {
        "vi": "Nhiều xã đạt từ {floor} tiêu chí trở lên nhất",
        "en": "Most communes meeting at least {floor} criteria",
    },
    "objective.criteria_met": {
        "vi": "Nhiều tiêu chí đạt nhất (cộng cả tỉnh)",
        "en": "Most criteria met (summed over communes)",
    },
    "objective.earliest_achievement": {
        "vi": "Đạt chuẩn sớm nhất",
        "en": "Reach the standard earliest",
    },
    "objective.least_cost": {"vi": "Ít vốn nhất", "en": "Least money"},
    "objective.stability": {
        "vi": "Ít thay đổi nhất so với kế hoạch đã duyệt",
        "en": "Fewest changes to the approved plan",
    },
    "policy_group.extremely_difficult": {
        "vi": "Xã đặc biệt khó khăn",
        "en": "Extremely difficult communes",
    },
    "policy_group.border": {"vi": "Xã biên giới", "en": "Border communes"},
    "policy_group.atk": {"vi": "Xã an toàn khu (ATK)", "en": "Safe-zone (ATK) communes"},
    "policy_group.below_floor": {
        "vi": "Xã dưới ngưỡng tiêu chí tối thiểu",
        "en": "Communes below the criteria floor",
    },
    "policy_group.region_iii": {"vi": "Xã khu vực III", "en": "Region III communes"},
    "policy_group.district": {"vi": "Một huyện (chọn ở cột Huyện)", "en": "One district (pick it)"},
    "method.optimizer": {"vi": "Tối ưu hóa", "en": "Optimisation"},
    "baseline.formula": {
        "vi": "Phân bổ theo định mức (hệ số)",
        "en": "Formula allocation (coefficients)",
    },
    "baseline.closest_first": {
        "vi": "Ưu tiên xã gần đạt chuẩn nhất",
        "en": "Closest to standard first",
    },
    "baseline.cheapest_first": {
        "vi": "Ưu tiên xã cần ít vốn nhất",
        "en": "Cheapest commune first",
    },
    "outcome.reaches_standard": {"vi": "Đạt chuẩn mới", "en": "Reaches the standard"},
    "outcome.stays_at_standard": {"vi": "Giữ vững chuẩn", "en": "Stays at standard"},
    "outcome.loses_standard": {"vi": "Mất chuẩn", "en": "Loses the standard"},
    "outcome.improves": {"vi": "Tăng tiêu chí", "en": "Meets more criteria"},
    "outcome.unchanged": {"vi": "Không thay đổi", "en": "Unchanged"},
    "item_kind.infrastructure": {"vi": "Hạ tầng", "en": "Infrastructure"},
    "item_kind.livelihood": {"vi": "Sinh kế", "en": "Livelihood"},
    "col.source": {"vi": "Nguồn vốn", "en": "Funding source"},
    "col.sources": {"vi": "Nguồn vốn", "en": "Funding sources"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.money": {"vi": "Vốn", "en": "Money"},
    "col.money_million": {"vi": "Vốn (triệu đồng)", "en": "Money (million VND)"},
    "col.cost_million": {"vi": "Tổng vốn (triệu đồng)", "en": "Cost (million VND)"},
    "col.criteria_before": {"vi": "Tiêu chí hiện nay", "en": "Criteria today"},
    "col.criteria_after": {"vi": "Tiêu chí sau kế hoạch", "en": "Criteria after the plan"},
    "col.outcome": {"vi": "Kết quả", "en": "Outcome"},
    "col.year_at_standard": {"vi": "Năm đạt chuẩn", "en": "Year at standard"},
    "col.item": {"vi": "Hạng mục đầu tư", "en": "Investment"},
    "col.communes_served": {"vi": "Xã hưởng lợi", "en": "Communes served"},
    "col.criteria_closed": {"vi": "Tiêu chí được khắc phục", "en": "Criteria it closes"},
    "col.kind": {"vi": "Loại", "en": "Kind"},
    "col.start_year": {"vi": "Năm bắt đầu", "en": "Start year"},
    "col.completion_year": {"vi": "Năm hoàn thành", "en": "Completion year"},
    "col.standard_before": {"vi": "Xã đạt chuẩn hiện nay", "en": "At standard today"},
    "col.standard_after": {"vi": "Xã đạt chuẩn sau kế hoạch", "en": "At standard after"},
    # -- headline figures of a plan ---------------------------------------------------------------
    "plan_kpi.at_standard": {"vi": "Xã đạt chuẩn nông thôn mới", "en": "Communes at NTM standard"},
    "plan_kpi.at_standard_help": {
        "vi": "Số xã đạt đủ mọi tiêu chí vào cuối giai đoạn (không tính phường, trừ khi kịch bản tính).",
        "en": "Communes meeting every criterion at the end of the horizon (wards only if the scenario counts them).",
    },
    "plan_kpi.at_floor": {
        "vi": "Xã đạt từ {floor} tiêu chí",
        "en": "Communes with {floor}+ criteria",
    },
    "plan_kpi.at_floor_help": {
        "vi": "Số xã đạt ít nhất {floor} tiêu chí vào cuối giai đoạn.",
        "en": "Communes meeting at least {floor} criteria at the end of the horizon.",
    },
    "plan_kpi.mean_criteria": {"vi": "Bình quân tiêu chí/xã", "en": "Mean criteria met"},
    "plan_kpi.mean_criteria_help": {
        "vi": "Số tiêu chí đạt bình quân của một xã vào cuối giai đoạn.",
        "en": "Mean number of criteria a commune meets at the end of the horizon.",
    },
    "plan_kpi.criteria_met": {"vi": "Tổng số tiêu chí đạt", "en": "Criteria met in total"},
    "plan_kpi.criteria_met_help": {
        "vi": "Tổng số tiêu chí đạt của tất cả các xã.",
        "en": "Criteria met, summed over the communes.",
    },
    "plan_kpi.money_total": {"vi": "Vốn sử dụng (tỷ đồng)", "en": "Money used (billion VND)"},
    "plan_kpi.money_total_help": {
        "vi": "Tổng số vốn kế hoạch bố trí, mọi nguồn và mọi năm.",
        "en": "Money the plan spends, all sources and years.",
    },
    "plan_kpi.items_funded": {"vi": "Hạng mục được đầu tư", "en": "Investments funded"},
    "plan_kpi.items_funded_help": {
        "vi": "Số công trình, dự án sinh kế được bố trí vốn.",
        "en": "Works and livelihood programmes the plan funds.",
    },
    "plan_kpi.delta_communes": {"vi": "{delta} xã", "en": "{delta} communes"},
    "plan_kpi.delta_from": {"vi": "{delta} (hiện nay {before})", "en": "{delta} (today {before})"},
    "plan_kpi.budget_help": {
        "vi": "Tổng vốn kế hoạch bố trí, mọi nguồn và mọi năm; ngân sách của kịch bản: {budget}.",
        "en": "Money the plan spends, all sources and years; the scenario's budget: {budget}.",
    },
    "plan_kpi.of_budget": {"vi": "{share} ngân sách", "en": "{share} of the budget"},
    # -- running a scenario -----------------------------------------------------------------------
    "run.solving": {
        "vi": "Đang tính phương án «{name}» ({method})…",
        "en": "Computing the plan «{name}» ({method})…",
    },
    "run.solving_detail": {
        "vi": "Bộ giải xét lần lượt {levels} mục tiêu theo thứ tự ưu tiên, mỗi mục tiêu tối đa {limit} giây.",
        "en": "The solver takes {levels} objectives in order of priority, at most {limit} s each.",
    },
    "run.solving_progress": {
        "vi": "Đang tính phương án «{name}» ({method})… đã xong {done}/{total} mục tiêu",
        "en": "Computing the plan «{name}» ({method})… {done} of {total} objectives settled",
    },
    "run.level_settled": {
        "vi": "Mức {order}/{total} — {objective}: **{value}** {proof}",
        "en": "Level {order}/{total} — {objective}: **{value}** {proof}",
    },
    "run.level_proven": {"vi": "(đã chứng minh tối ưu)", "en": "(proven optimal)"},
    "run.level_gap": {"vi": "(khoảng cách tối ưu {gap})", "en": "(optimality gap {gap})"},
    "run.solved": {
        "vi": "Đã tính xong phương án «{name}» trong {seconds} giây",
        "en": "Plan «{name}» computed in {seconds} s",
    },
    "run.failed_short": {"vi": "Không tính được «{name}»", "en": "Could not compute «{name}»"},
    "run.failed": {
        "vi": "Không tính được phương án «{name}»: {reason}",
        "en": "Could not compute the plan «{name}»: {reason}",
    },
    "status.optimal": {
        "vi": "Phương án tối ưu (đã được chứng minh) · bộ giải {solver} · {seconds} giây",
        "en": "Optimal plan (proven) · solver {solver} · {seconds} s",
    },
    "status.feasible": {
        "vi": "Phương án khả thi nhưng chưa chứng minh được là tối ưu: bộ giải dừng ở giới hạn "
        "thời gian hoặc ở sai số cho phép (sai số lớn nhất {gap}) · bộ giải {solver} · "
        "{seconds} giây",
        "en": "A valid plan, not proven optimal: the solver stopped at its time limit or its "
        "accepted gap (largest gap {gap}) · solver {solver} · {seconds} s",
    },
    "status.heuristic": {
        "vi": "Phương án theo quy tắc «{method}» (không tối ưu hóa), để so sánh.",
        "en": "Plan by the rule «{method}» (no optimisation), for comparison.",
    },
    "status.infeasible": {
        "vi": "Kịch bản không khả thi: các yêu cầu không thể cùng được đáp ứng · bộ giải {solver} · {seconds} giây",
        "en": "The scenario is infeasible: its requirements cannot all hold · solver {solver} · {seconds} s",
    },
    "status.levels": {"vi": "Chi tiết từng mục tiêu", "en": "Objective levels"},
    "level.order": {"vi": "Thứ tự", "en": "Order"},
    "level.objective": {"vi": "Mục tiêu", "en": "Objective"},
    "level.value": {"vi": "Giá trị đạt được", "en": "Value"},
    "level.bound": {"vi": "Cận tốt nhất", "en": "Best bound"},
    "level.gap": {"vi": "Sai số", "en": "Gap"},
    "level.proven": {"vi": "Đã chứng minh", "en": "Proven"},
    "level.seconds": {"vi": "Thời gian (giây)", "en": "Seconds"},
    # -- infeasible scenarios ---------------------------------------------------------------------
    "diagnosis.title": {"vi": "Vì sao không có phương án", "en": "Why there is no plan"},
    "diagnosis.none": {
        "vi": "Không có chẩn đoán cho kịch bản này.",
        "en": "No diagnosis is available for this scenario.",
    },
    "diagnosis.conflicting": {
        "vi": "Các yêu cầu sau không thể cùng được đáp ứng:",
        "en": "These requirements cannot all hold together:",
    },
    "diagnosis.no_conflict": {
        "vi": "Không xác định được yêu cầu nào mâu thuẫn.",
        "en": "No conflicting requirement could be identified.",
    },
    "diagnosis.options": {"vi": "Cách khắc phục:", "en": "What would make it feasible:"},
    "diagnosis.more_money": {
        "vi": "Bổ sung **{amount}** thì mọi yêu cầu đều được đáp ứng (chi tiết theo nguồn, năm ở bảng dưới).",
        "en": "**{amount}** more makes every requirement hold (by source and year below).",
    },
    "diagnosis.no_money_helps": {
        "vi": "Không mức vốn nào giúp đáp ứng mọi yêu cầu: các hạng mục hiện có không khắc phục hết "
        "được khoảng thiếu mà yêu cầu đặt ra, hoặc các yêu cầu mâu thuẫn nhau.",
        "en": "No amount of money makes every requirement hold: the available items cannot close "
        "the gaps required, or the requirements contradict each other.",
    },
    "diagnosis.lower_target": {
        "vi": "Hoặc hạ mục tiêu: với ngân sách này, tối đa **{best} xã** đạt chuẩn đến năm {year}.",
        "en": "Or lower the target: with this budget at most **{best} communes** reach the standard by {year}.",
    },
    "diagnosis.accept_below": {
        "vi": "Hoặc chấp nhận: với ngân sách này, ít nhất **{count} xã** vẫn dưới {floor} tiêu chí.",
        "en": "Or accept that with this budget at least **{count} communes** stay below {floor} criteria.",
    },
    "diagnosis.drop": {
        "vi": "Hoặc bỏ hay nới lỏng yêu cầu: {policy}.",
        "en": "Or drop or loosen the requirement: {policy}.",
    },
    "diagnosis.extra": {"vi": "Vốn cần bổ sung", "en": "Extra money needed"},
    "diagnosis.extra_caption": {
        "vi": "Vốn bổ sung ít nhất theo nguồn và năm:",
        "en": "Least extra money by source and year:",
    },
    "policy.min_share": {
        "vi": "Tối thiểu {share} tổng vốn cho {group}",
        "en": "At least {share} of all money to {group}",
    },
    "policy.min_share_source": {
        "vi": "Tối thiểu {share} vốn {source} cho {group}",
        "en": "At least {share} of {source} to {group}",
    },
    "policy.must_reach": {
        "vi": "Phải đạt chuẩn đến năm {year}: {what}",
        "en": "Must reach the standard by {year}: {what}",
    },
    "policy.co_financing": {
        "vi": "{source} đối ứng ít nhất {ratio} số vốn {of_source}",
        "en": "{source} pays at least {ratio} of what {of_source} pays",
    },
    "policy.district_equity": {
        "vi": "Mỗi huyện có ít nhất {count} xã đạt chuẩn",
        "en": "Every district has at least {count} communes at standard",
    },
    "policy.commune_cap": {
        "vi": "Mỗi xã nhận tối đa {cap}",
        "en": "At most {cap} per commune",
    },
    "policy.maintain_standard": {
        "vi": "Giữ vững các xã đã đạt chuẩn (duy tu các tiêu chí có nguy cơ)",
        "en": "Keep communes at standard (maintain at-risk criteria)",
    },
    "policy.committed": {
        "vi": "Các hạng mục đã cam kết phải được bố trí vốn",
        "en": "Committed investments must be funded",
    },
    "policy.target_standard": {
        "vi": "Mục tiêu {count} xã đạt chuẩn đến năm {year}",
        "en": "Target of {count} communes at standard by {year}",
    },
    "policy.target_floor": {
        "vi": "Không còn xã dưới {floor} tiêu chí",
        "en": "No commune below {floor} criteria",
    },
    # -- scenario page ----------------------------------------------------------------------------
    "scenario.title": {"vi": "Kịch bản phân bổ vốn", "en": "Allocation scenario"},
    "scenario.intro": {
        "vi": "Chọn kịch bản có sẵn hoặc kịch bản đang làm, điều chỉnh ngân sách, mục tiêu và "
        "chính sách, rồi bấm «Chạy kịch bản». Số tiền tính bằng tỷ đồng.",
        "en": "Start from a shipped or the current scenario, adjust budgets, objectives and "
        "policies, then press «Run scenario». Money in billion VND.",
    },
    "scenario.default_name": {"vi": "Phương án cơ sở – {name}", "en": "Base plan – {name}"},
    "scenario.start_from": {"vi": "Bắt đầu từ kịch bản", "en": "Start from"},
    "scenario.start_help": {
        "vi": "Chọn một kịch bản để nạp vào biểu mẫu bên dưới; kịch bản đang làm được thay thế.",
        "en": "Pick a scenario to load into the form below; it replaces the current one.",
    },
    "scenario.start_current": {"vi": "Kịch bản đang làm: {name}", "en": "Current scenario: {name}"},
    "scenario.start_default": {
        "vi": "Phương án cơ sở cho bộ dữ liệu «{name}»",
        "en": "Base plan for the data package «{name}»",
    },
    "scenario.start_broken": {"vi": "{file} (tệp lỗi)", "en": "{file} (broken file)"},
    "scenario.shipped_tag": {"vi": "có sẵn", "en": "shipped"},
    "scenario.saved_tag": {"vi": "đã lưu", "en": "saved"},
    "scenario.other_package_tag": {
        "vi": " — viết cho bộ dữ liệu khác",
        "en": " — written for another data package",
    },
    "scenario.open_file": {"vi": "Mở tệp kịch bản", "en": "Open a scenario file"},
    "scenario.upload": {"vi": "Tệp kịch bản (.yaml)", "en": "Scenario file (.yaml)"},
    "scenario.file_error": {
        "vi": "Không dùng được tệp kịch bản {file}:",
        "en": "The scenario file {file} cannot be used:",
    },
    "scenario.loaded": {"vi": "Đã nạp kịch bản «{name}».", "en": "Scenario «{name}» loaded."},
    "scenario.saved": {"vi": "Đã lưu kịch bản vào `{path}`.", "en": "Scenario saved to `{path}`."},
    "scenario.no_budget_years": {
        "vi": "Giai đoạn {start}–{end} không có ngân sách trong bộ dữ liệu (bộ dữ liệu có ngân sách "
        "các năm {years}). Hãy chọn lại năm bắt đầu và kết thúc.",
        "en": "{start}–{end} has no budget in the data package (it has budgets for {years}). "
        "Choose the start and end years again.",
    },
    "scenario.result": {"vi": "Kết quả: {name}", "en": "Result: {name}"},
    "scenario.see_results": {
        "vi": "Xem kết quả chi tiết (biểu đồ, danh mục đầu tư)",
        "en": "See the full results (charts, funded investments)",
    },
    "scenario.download": {"vi": "Tải kịch bản (.yaml)", "en": "Download the scenario (.yaml)"},
    "scenario.checks_warning": {
        "vi": "Kịch bản có điểm cần xem lại so với bộ dữ liệu:",
        "en": "The scenario has points to check against the data package:",
    },
    "scenario.checks_error": {
        "vi": "Chưa chạy được: kịch bản nêu những thứ bộ dữ liệu không có:",
        "en": "Not run: the scenario names things the data package does not have:",
    },
    "form.general": {"vi": "Thông tin chung", "en": "General"},
    "form.name": {"vi": "Tên kịch bản", "en": "Scenario name"},
    "form.description": {"vi": "Mô tả", "en": "Description"},
    "form.horizon_budgets": {"vi": "Giai đoạn và ngân sách", "en": "Horizon and budgets"},
    "form.start": {"vi": "Năm bắt đầu", "en": "First year"},
    "form.end": {"vi": "Năm kết thúc", "en": "Last year"},
    "form.pooled": {"vi": "Gộp vốn cả giai đoạn", "en": "Pool the whole horizon"},
    "form.pooled_help": {
        "vi": "Bật: coi cả giai đoạn là một kỳ (không phân kỳ theo năm). Tắt: ngân sách từng năm, "
        "công trình kéo dài theo thời gian thi công.",
        "en": "On: the horizon is one period (no yearly phasing). Off: yearly budgets, works "
        "spread over their build time.",
    },
    "form.carry_over": {"vi": "Chuyển nguồn", "en": "Carry over"},
    "form.carry_over_help": {
        "vi": "Vốn chưa dùng hết trong năm được chuyển sang năm sau.",
        "en": "Money not spent in a year is available the next year.",
    },
    "form.scale": {"vi": "Hệ số chung (%)", "en": "Overall factor (%)"},
    "form.scale_help": {
        "vi": "Nhân mọi ngân sách với hệ số này: 80% = cắt giảm 20%. Ô đã sửa trong bảng là số "
        "tiền chính xác, không nhân hệ số.",
        "en": "Multiplies every budget: 80% is a 20% cut. Cells edited in the table are exact "
        "amounts, not multiplied.",
    },
    "form.budgets_caption": {
        "vi": "Ngân sách theo nguồn và năm (tỷ đồng), đã tính hệ số của kịch bản đang làm. Sửa "
        "trực tiếp một ô để đặt số tiền chính xác; cột «Hệ số» nhân riêng từng nguồn.",
        "en": "Budgets by source and year (billion VND), with the current scenario's factors. "
        "Edit a cell to set an exact amount; «Factor» multiplies one source.",
    },
    "form.source": {"vi": "Nguồn vốn", "en": "Funding source"},
    "form.factor": {"vi": "Hệ số", "en": "Factor"},
    "form.year_budget": {"vi": "{year}", "en": "{year}"},
    "form.budget_total": {
        "vi": "Tổng ngân sách các năm trong bảng (kịch bản đang làm): **{total}**",
        "en": "Total of the budgets in the table (current scenario): **{total}**",
    },
    "form.disbursement": {"vi": "Tỷ lệ giải ngân (%)", "en": "Disbursement rate (%)"},
    "form.no_limit": {"vi": "Không giới hạn", "en": "No limit"},
    "form.rate_overall": {"vi": "tỷ lệ chung", "en": "overall"},
    "form.disbursement_help": {
        "vi": "Phần vốn có trong năm (vốn của năm cộng vốn chuyển từ năm trước) thực sự giải ngân "
        "được trong năm đó; phần còn lại chuyển sang năm sau nếu bật «Chuyển nguồn». Ví dụ 70%: "
        "mỗi năm chi tối đa 70% số vốn có. Để trống: không giới hạn. Khi gộp vốn cả giai đoạn, "
        "tỷ lệ của năm kết thúc áp dụng cho cả giai đoạn.",
        "en": "Share of the money on hand in a year (its budget plus money carried over) that can "
        "actually be paid out that year; the rest carries over when «Carry over» is on. 70% "
        "means at most 70% of the money on hand is spent each year. Empty: no limit. With a "
        "pooled horizon, the last year's rate applies to the whole horizon.",
    },
    "form.disbursement_years": {
        "vi": "Tỷ lệ giải ngân riêng từng năm (%)",
        "en": "Disbursement rate of particular years (%)",
    },
    "form.disbursement_years_help": {
        "vi": "Điền tỷ lệ cho năm có tỷ lệ khác tỷ lệ chung (ví dụ năm đầu giai đoạn giải ngân "
        "chậm). Ô để trống: năm đó theo tỷ lệ chung.",
        "en": "Fill in a year whose rate differs from the overall one (e.g. a slow first year of "
        "the horizon). An empty cell: that year follows the overall rate.",
    },
    "form.objectives_targets": {"vi": "Mục tiêu", "en": "Objectives and targets"},
    "form.objectives": {
        "vi": "Mục tiêu, theo thứ tự ưu tiên",
        "en": "Objectives, in order of priority",
    },
    "form.objectives_help": {
        "vi": "Mục tiêu chọn trước được ưu tiên tuyệt đối: mục tiêu sau chỉ được xét khi mục "
        "tiêu trước đã đạt tốt nhất. Bỏ chọn rồi chọn lại để đổi thứ tự.",
        "en": "An earlier objective takes absolute priority: a later one only counts once the "
        "earlier ones are at their best. Remove and re-add to change the order.",
    },
    "form.floor": {"vi": "Ngưỡng tiêu chí tối thiểu", "en": "Criteria floor"},
    "form.floor_help": {
        "vi": "Số tiêu chí tối thiểu mỗi xã cần đạt (mặc định {default}/{size}).",
        "en": "Criteria every commune should meet at least (default {default}/{size}).",
    },
    "form.target_standard": {"vi": "Chỉ tiêu số xã đạt chuẩn", "en": "Target communes at standard"},
    "form.target_standard_help": {
        "vi": "Ràng buộc cứng: kế hoạch phải đưa ít nhất chừng này xã đạt chuẩn. Để trống nếu "
        "không đặt chỉ tiêu.",
        "en": "A hard target: at least this many communes at standard. Leave empty for none.",
    },
    "form.none": {"vi": "Không đặt", "en": "None"},
    "form.no_below_floor": {
        "vi": "Không còn xã nào dưới ngưỡng tiêu chí tối thiểu",
        "en": "No commune below the criteria floor",
    },
    "form.no_below_floor_help": {
        "vi": "Ràng buộc cứng: mọi xã đạt ít nhất ngưỡng tối thiểu vào cuối giai đoạn.",
        "en": "A hard target: every commune meets at least the floor at the end.",
    },
    "form.maintain": {
        "vi": "Giữ vững các xã đã đạt chuẩn",
        "en": "Keep communes at standard",
    },
    "form.maintain_help": {
        "vi": "Các tiêu chí có nguy cơ không đạt ở xã đã đạt chuẩn phải được duy tu.",
        "en": "At-risk criteria of communes at standard must be maintained.",
    },
    "form.include_wards": {
        "vi": "Tính cả phường vào chỉ tiêu",
        "en": "Count wards in the targets",
    },
    "form.policies": {"vi": "Chính sách ưu tiên", "en": "Policies"},
    "form.must_reach": {"vi": "Các xã phải đạt chuẩn", "en": "Communes that must reach standard"},
    "form.must_reach_help": {
        "vi": "Ràng buộc cứng: các xã này phải đạt chuẩn vào cuối giai đoạn.",
        "en": "A hard rule: these communes reach the standard by the end.",
    },
    "form.must_reach_unknown": {
        "vi": "Kịch bản buộc đạt chuẩn cả những xã, huyện mà bộ dữ liệu này không có: {names}. "
        "Biểu mẫu không giữ được chúng; chạy từ đây sẽ không có yêu cầu đó.",
        "en": "The scenario requires communes or districts this data package does not have: "
        "{names}. The form cannot keep them; a run from here goes without that requirement.",
    },
    "form.must_reach_districts": {
        "vi": "Các huyện phải có toàn bộ xã đạt chuẩn",
        "en": "Districts whose communes must all reach standard",
    },
    "form.none_chosen": {"vi": "Không chọn", "en": "None"},
    "form.min_shares": {"vi": "Tỷ lệ vốn tối thiểu cho nhóm xã", "en": "Minimum shares for groups"},
    "form.min_shares_help": {
        "vi": "Ví dụ: ít nhất 50% tổng vốn cho xã đặc biệt khó khăn. Thêm dòng bằng dấu «+».",
        "en": "E.g. at least 50% of all money to extremely difficult communes. Add rows with «+».",
    },
    "form.group": {"vi": "Nhóm xã", "en": "Group"},
    "form.district": {"vi": "Huyện", "en": "District"},
    "form.share": {"vi": "Tỷ lệ tối thiểu", "en": "Minimum share"},
    "form.of_money": {"vi": "Của nguồn", "en": "Of the money of"},
    "form.all_sources": {"vi": "Mọi nguồn", "en": "All sources"},
    "form.co_financing": {"vi": "Tỷ lệ đối ứng giữa các nguồn", "en": "Co-financing ratios"},
    "form.co_financing_help": {
        "vi": "Ví dụ: ngân sách địa phương đối ứng ít nhất 10% vốn trung ương, mỗi năm.",
        "en": "E.g. the local budget pays at least 10% of what the central budget pays, each year.",
    },
    "form.payer": {"vi": "Nguồn đối ứng", "en": "Source"},
    "form.ratio": {"vi": "Tỷ lệ", "en": "Ratio"},
    "form.of_source": {"vi": "So với nguồn", "en": "Of the source"},
    "form.commune_cap": {
        "vi": "Mức vốn tối đa cho một xã (tỷ đồng)",
        "en": "Most money per commune (billion VND)",
    },
    "form.no_cap": {"vi": "Không giới hạn", "en": "No cap"},
    "form.solver": {"vi": "Cài đặt bộ giải", "en": "Solver settings"},
    "form.time_limit": {"vi": "Giới hạn thời gian (giây)", "en": "Time limit (s)"},
    "form.time_limit_help": {
        "vi": "Thời gian tối đa cho mỗi mục tiêu. Hết giờ, kết quả là phương án tốt nhất tìm "
        "được và kèm sai số.",
        "en": "Most time per objective. At the limit the best plan found is kept, with its gap.",
    },
    "form.gap": {"vi": "Sai số chấp nhận (%)", "en": "Accepted gap (%)"},
    "form.gap_help": {
        "vi": "0 = tìm phương án tối ưu chính xác.",
        "en": "0 = solve to proven optimality.",
    },
    "form.run": {"vi": "Chạy kịch bản", "en": "Run scenario"},
    # -- the audit switch (issue #15) -------------------------------------------------------------
    "form.verify": {
        "vi": "Kiểm chứng bằng bộ giải thứ hai",
        "en": "Verify with the other solver",
    },
    "form.verify_help": {
        "vi": "Giải lại từng mục tiêu bằng bộ giải còn lại (CBC nếu đang dùng HiGHS và ngược "
        "lại), từ đầu, rồi so sánh các giá trị. CBC chậm hơn nhiều trên dữ liệu lớn.",
        "en": "Solve every level again with the other solver (CBC for HiGHS and vice versa), "
        "from scratch, and compare the values. CBC is much slower on large data.",
    },
    "verify.agree": {
        "vi": "Đã kiểm chứng: {solver} cho cùng giá trị ở mọi mục tiêu.",
        "en": "Verified: {solver} finds the same value on every level.",
    },
    "verify.disagree": {
        "vi": "Hai bộ giải cho kết quả khác nhau ở mục tiêu cả hai đã chứng minh tối ưu: "
        "không nên dùng phương án này. {solver} cho:",
        "en": "The solvers disagree on a level both proved optimal: do not rely on this plan. "
        "{solver} finds:",
    },
    "verify.unconfirmed": {
        "vi": "{solver} chưa xác nhận được (một bộ giải chưa chứng minh tối ưu trong thời gian "
        "cho phép):",
        "en": "{solver} does not confirm it (a solver did not prove its level in time):",
    },
    "verify.level": {
        "vi": "{objective}: {value} ở đây, {other} theo {solver}",
        "en": "{objective}: {value} here, {other} with {solver}",
    },
    "verify.no_plan": {"vi": "không có phương án", "en": "no plan"},
    "form.save": {"vi": "Lưu kịch bản", "en": "Save scenario"},
    "form.problems": {
        "vi": "Chưa chạy được: kịch bản có lỗi cần sửa.",
        "en": "Not run: the scenario has problems to fix.",
    },
    "form.problem.name": {"vi": "Hãy đặt tên cho kịch bản.", "en": "Give the scenario a name."},
    "form.problem.horizon": {
        "vi": "Năm bắt đầu ({start}) sau năm kết thúc ({end}).",
        "en": "The first year ({start}) is after the last year ({end}).",
    },
    "form.problem.objectives": {
        "vi": "Hãy chọn ít nhất một mục tiêu.",
        "en": "Choose at least one objective.",
    },
    "form.problem.min_share": {
        "vi": "Bảng tỷ lệ vốn tối thiểu, dòng {problem}",
        "en": "Minimum shares, row {problem}",
    },
    "form.problem.co_financing": {
        "vi": "Bảng tỷ lệ đối ứng, dòng {problem}",
        "en": "Co-financing, row {problem}",
    },
    # -- results page -----------------------------------------------------------------------------
    "results.title": {"vi": "Kết quả phân bổ vốn", "en": "Allocation results"},
    "results.none": {
        "vi": "Chưa có phương án nào. Hãy chạy một kịch bản ở trang «Kịch bản», hoặc chạy ngay "
        "kịch bản đang làm.",
        "en": "No plan yet. Run a scenario on the «Scenario» page, or run the current one now.",
    },
    "results.run_current": {"vi": "Chạy kịch bản «{name}»", "en": "Run «{name}»"},
    "results.go_scenario": {"vi": "Đến trang Kịch bản", "en": "Go to the Scenario page"},
    "results.run": {"vi": "Phương án", "en": "Plan"},
    "results.infeasible": {
        "vi": "Kịch bản không khả thi — xem chẩn đoán ở trang Kết quả.",
        "en": "The scenario is infeasible — see the diagnosis on the Results page.",
    },
    "results.by_district": {"vi": "Vốn theo huyện", "en": "Money by district"},
    "results.by_district_caption": {
        "vi": "Tỷ đồng; bên cạnh mỗi cột: số xã đạt chuẩn mới.",
        "en": "Billion VND; beside each bar: communes newly at standard.",
    },
    "results.by_source": {"vi": "Vốn theo nguồn", "en": "Money by source"},
    "results.by_source_caption": {
        "vi": "Xám: ngân sách của kịch bản; xanh: vốn kế hoạch sử dụng; số %: tỷ lệ sử dụng.",
        "en": "Grey: the scenario's budget; green: money the plan uses; %: share used.",
    },
    "results.by_year": {"vi": "Vốn theo năm", "en": "Money by year"},
    "results.pooled_caption": {
        "vi": "Kịch bản gộp vốn cả giai đoạn {start}–{end}: toàn bộ vốn ghi vào năm {end}.",
        "en": "The scenario pools {start}–{end}: all money shows in {end}.",
    },
    "results.by_criterion": {
        "vi": "Số xã đạt từng tiêu chí",
        "en": "Communes meeting each criterion",
    },
    "results.by_criterion_caption": {
        "vi": "Xám: hiện nay; xanh: sau kế hoạch. Rê chuột để xem vốn bố trí cho tiêu chí.",
        "en": "Grey: today; green: after the plan. Hover to see the money for the criterion.",
    },
    "results.communes": {"vi": "Kết quả theo xã", "en": "Communes"},
    "results.outcome_filter": {"vi": "Lọc theo kết quả", "en": "Filter by outcome"},
    "results.outcome_count": {"vi": "{outcome} ({count})", "en": "{outcome} ({count})"},
    "results.items": {
        "vi": "Danh mục đầu tư được bố trí vốn ({count} hạng mục)",
        "en": "Funded investments ({count})",
    },
    "results.download_excel": {"vi": "Tải báo cáo Excel", "en": "Download the Excel report"},
    "results.excel_soon": {
        "vi": "Báo cáo Excel sẽ có khi mô-đun báo cáo được cài đặt.",
        "en": "The Excel report comes with the reports module.",
    },
    # -- charts of plans --------------------------------------------------------------------------
    "chart.money_billion": {"vi": "Vốn (tỷ đồng)", "en": "Money (billion VND)"},
    "chart.delta_billion": {
        "vi": "Chênh lệch so với phương án gốc (tỷ đồng)",
        "en": "Change against the reference (billion VND)",
    },
    "chart.district_label": {"vi": "{money} · +{gained} xã", "en": "{money} · +{gained} communes"},
    "chart.district_label_none": {"vi": "{money}", "en": "{money}"},
    "chart.no_district": {"vi": "(không thuộc huyện)", "en": "(no district)"},
    "chart.budget": {"vi": "Ngân sách", "en": "Budget"},
    "chart.spent": {"vi": "Sử dụng", "en": "Used"},
    "chart.used": {"vi": "Tỷ lệ sử dụng", "en": "Share used"},
    "chart.before": {"vi": "Hiện nay", "en": "Today"},
    "chart.after": {"vi": "Sau kế hoạch", "en": "After the plan"},
    "chart.communes_meeting": {"vi": "Số xã đạt", "en": "Communes meeting it"},
    "chart.money_for_criterion": {"vi": "Vốn cho tiêu chí", "en": "Money for the criterion"},
    "chart.more": {"vi": "Tăng", "en": "More"},
    "chart.less": {"vi": "Giảm", "en": "Less"},
    "chart.group": {"vi": "Nhóm", "en": "Group"},
    "chart.plan": {"vi": "Phương án", "en": "Plan"},
    "chart.delta": {"vi": "Chênh lệch", "en": "Change"},
    # -- compare page -----------------------------------------------------------------------------
    "compare.title": {"vi": "So sánh các phương án", "en": "Compare plans"},
    "compare.download_excel": {
        "vi": "Tải báo cáo so sánh (Excel)",
        "en": "Download the comparison (Excel)",
    },
    "compare.download_file": {"vi": "so_sanh_phuong_an.xlsx", "en": "plans_compared.xlsx"},
    "compare.intro": {
        "vi": "Chọn 2–4 phương án. Phương án đầu tiên là phương án gốc; các phương án khác được "
        "so với nó.",
        "en": "Pick 2–4 plans. The first is the reference the others are compared with.",
    },
    "compare.choose": {"vi": "Các phương án so sánh", "en": "Plans to compare"},
    "compare.choose_placeholder": {"vi": "Chọn 2–4 phương án", "en": "Pick 2–4 plans"},
    "compare.choose_help": {
        "vi": "Phương án đã chạy trong phiên, kịch bản có sẵn cho bộ dữ liệu này và các quy tắc "
        "phân bổ truyền thống (để đối chiếu).",
        "en": "Plans run in this session, scenarios shipped for this data package and the "
        "traditional allocation rules (for reference).",
    },
    "compare.option_run": {"vi": "{label}", "en": "{label}"},
    "compare.option_current": {
        "vi": "{name} (kịch bản đang làm)",
        "en": "{name} (current scenario)",
    },
    "compare.option_file": {"vi": "{name} (kịch bản có sẵn)", "en": "{name} (shipped scenario)"},
    "compare.option_baseline": {"vi": "{name} · {method}", "en": "{name} · {method}"},
    "compare.run": {"vi": "So sánh", "en": "Compare"},
    "compare.need_two": {
        "vi": "Chọn ít nhất hai phương án rồi bấm «So sánh».",
        "en": "Pick at least two plans, then press «Compare».",
    },
    "compare.infeasible": {
        "vi": "Không khả thi, không đưa vào so sánh: {names}. Xem chẩn đoán ở trang Kết quả.",
        "en": "Infeasible, left out of the comparison: {names}. See the diagnosis on Results.",
    },
    "compare.kpis": {"vi": "Chỉ tiêu chính", "en": "Headline figures"},
    "compare.reference": {
        "vi": "Chênh lệch so với phương án gốc «{reference}».",
        "en": "Changes against the reference «{reference}».",
    },
    "compare.reference_tag": {"vi": "Phương án gốc", "en": "Reference"},
    "compare.before_help": {"vi": "Hiện nay: {before}", "en": "Today: {before}"},
    "compare.moved_district": {
        "vi": "Vốn dịch chuyển giữa các huyện",
        "en": "Money moved between districts",
    },
    "compare.moved_source": {
        "vi": "Vốn dịch chuyển giữa các nguồn",
        "en": "Money moved between sources",
    },
    "compare.moved_caption": {
        "vi": "Triệu đồng; chỉ liệt kê nơi có thay đổi; «B − A»: chênh lệch so với phương án "
        "gốc A. {legend}",
        "en": "Million VND; only where something changes; «B − A»: change against the "
        "reference A. {legend}",
    },
    "compare.no_money_moved": {
        "vi": "Các phương án phân bổ vốn giống nhau.",
        "en": "The plans allocate the same money.",
    },
    "compare.delta_vs": {"vi": "{label} − {reference}", "en": "{label} − {reference}"},
    "compare.communes": {
        "vi": "Các xã có kết quả khác nhau",
        "en": "Communes whose outcome differs",
    },
    "compare.communes_caption": {
        "vi": "{count} xã. Mỗi ô: số tiêu chí đạt sau kế hoạch; ✓ = đạt chuẩn. {legend}",
        "en": "{count} communes. Each cell: criteria met after the plan; ✓ = at standard. {legend}",
    },
    "compare.no_commune_differs": {
        "vi": "Mọi xã có cùng kết quả trong các phương án.",
        "en": "Every commune has the same outcome in the plans.",
    },
    # -- frontier page ----------------------------------------------------------------------------
    "frontier.title": {"vi": "Đường biên ngân sách", "en": "Budget frontier"},
    "frontier.intro": {
        "vi": "Số xã đạt chuẩn tối đa theo từng mức tổng ngân sách: ngân sách của kịch bản đang "
        "làm được nhân với các hệ số từ thấp đến cao, mỗi mức giải lại bài toán.",
        "en": "The most communes at standard for each total budget: the current scenario's "
        "budgets times factors from low to high, re-solved at each level.",
    },
    "frontier.unavailable": {
        "vi": "Chức năng đường biên ngân sách chưa được cài đặt.",
        "en": "The budget frontier is not installed yet.",
    },
    "frontier.scenario": {
        "vi": "Kịch bản: **{name}** · tổng ngân sách: **{budget}**",
        "en": "Scenario: **{name}** · total budget: **{budget}**",
    },
    "frontier.low": {"vi": "Từ (% ngân sách)", "en": "From (% of budget)"},
    "frontier.high": {"vi": "Đến (% ngân sách)", "en": "To (% of budget)"},
    "frontier.points": {"vi": "Số mức", "en": "Points"},
    "frontier.time_note": {
        "vi": "Mỗi mức giải hai mục tiêu (số xã đạt chuẩn, rồi ít vốn nhất), mỗi mục tiêu tối đa "
        "{seconds} giây.",
        "en": "Each point solves two objectives (communes at standard, then least money), at "
        "most {seconds} s each.",
    },
    "frontier.run": {"vi": "Vẽ đường biên", "en": "Draw the frontier"},
    "frontier.bad_range": {
        "vi": "Mức «Đến» phải lớn hơn mức «Từ».",
        "en": "«To» must be above «From».",
    },
    "frontier.press_run": {
        "vi": "Chọn khoảng ngân sách rồi bấm «Vẽ đường biên».",
        "en": "Choose the budget range, then press «Draw the frontier».",
    },
    "frontier.progress": {
        "vi": "Đang giải mức {done}/{total}…",
        "en": "Solving point {done}/{total}…",
    },
    "frontier.current_budget": {"vi": "Ngân sách hiện tại", "en": "Current budget"},
    "frontier.at_current": {
        "vi": "Xã đạt chuẩn với ngân sách hiện tại",
        "en": "Communes at standard with the current budget",
    },
    "frontier.marginal": {
        "vi": "Chi phí để có xã đạt chuẩn thứ {count}",
        "en": "Cost of commune number {count} at standard",
    },
    "frontier.marginal_average": {
        "vi": "Chi phí bình quân cho mỗi xã đạt chuẩn thêm",
        "en": "Average cost of each further commune at standard",
    },
    "frontier.marginal_average_help": {
        "vi": "Vốn tăng thêm chia cho số xã đạt chuẩn tăng thêm, từ ngân sách hiện tại đến mức "
        "{up_to}. Bớt số mức hoặc thu hẹp khoảng để có chi phí chính xác cho từng xã.",
        "en": "Extra money over extra communes at standard, from the current budget to {up_to}. "
        "A narrower sweep gives the exact cost of each commune.",
    },
    "frontier.marginal_none": {
        "vi": "Trong khoảng đã vẽ, tăng vốn không đưa thêm xã nào đạt chuẩn.",
        "en": "Within the sweep, more money brings no further commune to standard.",
    },
    "frontier.triage_all": {
        "vi": "Hiện cả các xã chỉ đạt chuẩn khi tăng vốn",
        "en": "Also show communes that only reach standard with more money",
    },
    "frontier.triage_caption_all": {
        "vi": "Mọi xã đạt chuẩn ở mức vốn cao nhất, theo thứ tự bị loại khi giảm vốn; cột cuối là "
        "mức vốn cao nhất mà xã không còn đạt chuẩn.",
        "en": "Every commune at standard at the highest level, in the order they drop as the "
        "budget falls; the last column is the highest level at which it is not at standard.",
    },
    "frontier.marginal_help": {
        "vi": "Vốn cần thêm để có thêm một xã đạt chuẩn so với ngân sách hiện tại.",
        "en": "Money needed for one more commune at standard beyond the current budget.",
    },
    "frontier.sweep_caption": {
        "vi": "{points} mức, từ {low} đến {high} ngân sách hiện tại; tính trong {seconds} giây.",
        "en": "{points} points from {low} to {high} of the current budget; computed in {seconds} s.",
    },
    "frontier.x": {"vi": "Tổng ngân sách (tỷ đồng)", "en": "Total budget (billion VND)"},
    "frontier.y": {"vi": "Xã đạt chuẩn", "en": "Communes at standard"},
    "frontier.current_marker": {
        "vi": "Ngân sách hiện tại: {budget}",
        "en": "Current budget: {budget}",
    },
    "frontier.points_title": {"vi": "Các mức ngân sách", "en": "Budget levels"},
    "frontier.col_scale": {"vi": "Mức", "en": "Level"},
    "frontier.col_budget": {"vi": "Tổng ngân sách", "en": "Total budget"},
    "frontier.col_floor": {"vi": "Xã đạt từ {floor} tiêu chí", "en": "Communes with {floor}+"},
    "frontier.col_spent": {"vi": "Vốn sử dụng", "en": "Money used"},
    "frontier.col_marginal": {
        "vi": "Chi phí biên/xã",
        "en": "Marginal cost per commune",
    },
    "frontier.col_status": {"vi": "Tình trạng", "en": "Status"},
    "frontier.curve_title": {"vi": "Vốn ít nhất theo số xã", "en": "Least money per count"},
    "frontier.curve_caption": {
        "vi": "Số vốn ít nhất để có từng số lượng xã đạt chuẩn (với ngân sách ở mức cao nhất).",
        "en": "The least money for each number of communes at standard (budgets at the top level).",
    },
    "frontier.col_least": {"vi": "Vốn ít nhất", "en": "Least money"},
    "frontier.col_marginal_one": {"vi": "Thêm một xã", "en": "One more commune"},
    "frontier.triage_title": {"vi": "Thứ tự xã bị loại khi giảm vốn", "en": "Triage order"},
    "frontier.triage_caption": {
        "vi": "Các xã đạt chuẩn với ngân sách hiện tại; khi ngân sách giảm, các xã này lần lượt "
        "không còn đạt chuẩn (xã đầu tiên bị loại trước).",
        "en": "Communes at standard with the current budget; as the budget falls, they drop "
        "below standard in this order.",
    },
    "frontier.triage_none": {
        "vi": "Không xã nào bị loại trong khoảng ngân sách này.",
        "en": "No commune drops within this budget range.",
    },
    "frontier.col_rank": {"vi": "Thứ tự", "en": "Rank"},
    "frontier.col_drops_at": {"vi": "Bị loại từ mức", "en": "Drops at"},
    "frontier.drops_at": {"vi": "{scale} ({budget})", "en": "{scale} ({budget})"},
    "point.optimal": {"vi": "Tối ưu", "en": "Optimal"},
    "point.feasible": {"vi": "Khả thi (hết giờ)", "en": "Feasible (time limit)"},
    "point.infeasible": {"vi": "Không khả thi", "en": "Infeasible"},
    "point.no_plan": {"vi": "Chưa tìm được", "en": "No plan in time"},
    # -- commune page -----------------------------------------------------------------------------
    "commune.title": {"vi": "Xã trong kế hoạch", "en": "A commune in the plan"},
    "commune.no_run": {
        "vi": "Chưa có phương án. Hãy chạy một kịch bản trước.",
        "en": "No plan yet. Run a scenario first.",
    },
    "commune.infeasible": {
        "vi": "Phương án này không khả thi nên chưa có kết quả theo xã.",
        "en": "This plan is infeasible, so there is no outcome per commune.",
    },
    "commune.choose": {"vi": "Xã", "en": "Commune"},
    "commune.population": {"vi": "{count} người", "en": "{count} people"},
    "commune.poverty": {"vi": "tỷ lệ hộ nghèo {rate}", "en": "poverty rate {rate}"},
    "commune.criteria_today": {"vi": "Tiêu chí đạt hiện nay", "en": "Criteria met today"},
    "commune.criteria_after": {"vi": "Tiêu chí đạt sau kế hoạch", "en": "Criteria met after"},
    "commune.money": {"vi": "Vốn bố trí cho xã", "en": "Money for the commune"},
    "commune.not_counted": {
        "vi": "Đơn vị này (phường, hoặc đơn vị kịch bản không tính) không được tính vào số xã đạt "
        "chuẩn của kịch bản.",
        "en": "This unit (a ward, or a unit the scenario leaves out) does not count towards the "
        "scenario's communes at standard.",
    },
    "commune.why": {"vi": "Vì sao:", "en": "Why:"},
    "commune.explaining": {"vi": "Đang phân tích…", "en": "Explaining…"},
    "commune.no_explanation": {
        "vi": "Chưa phân tích được lý do trong giới hạn thời gian của bộ giải.",
        "en": "The reason could not be worked out within the solver's time limit.",
    },
    "commune.criteria_title": {"vi": "Từng tiêu chí", "en": "Criterion by criterion"},
    "commune.today": {"vi": "Hiện nay", "en": "Today"},
    "commune.after": {"vi": "Sau kế hoạch", "en": "After the plan"},
    "commune.year_met": {"vi": "Năm đạt", "en": "Year met"},
    "commune.funded_for": {"vi": "Hạng mục đầu tư", "en": "Funded investments"},
    "commune.met_at_risk": {"vi": "Đạt (cần duy tu)", "en": "Met (at risk)"},
    "commune.unmet_gap": {
        "vi": "Chưa đạt — thiếu {amount}",
        "en": "Not met — {amount} short",
    },
    "commune.items_title": {"vi": "Hạng mục được đầu tư tại xã", "en": "Investments funded here"},
    "commune.no_items": {
        "vi": "Kế hoạch không bố trí vốn cho xã này.",
        "en": "The plan funds nothing in this commune.",
    },
    "commune.share_here": {"vi": "Phần vốn của xã", "en": "This commune's share"},
    "commune.what_if_title": {"vi": "Nếu thì sao?", "en": "What if?"},
    "commune.what_if_caption": {
        "vi": "Giải lại kịch bản với một thay đổi để thấy cái giá với các xã khác trong tỉnh.",
        "en": "Re-solve the scenario with one change to see what it costs the rest of the province.",
    },
    "commune.what_if_optimizer_only": {
        "vi": "Phân tích «nếu thì sao» chỉ dùng cho phương án tối ưu hóa.",
        "en": "What-if analysis applies to optimised plans only.",
    },
    "commune.force": {"vi": "Buộc xã đạt chuẩn", "en": "Force it to standard"},
    "commune.exclude": {"vi": "Loại xã khỏi kế hoạch", "en": "Exclude it"},
    "commune.force_running": {
        "vi": "Đang giải lại với xã bắt buộc đạt chuẩn…",
        "en": "Re-solving with the commune forced to standard…",
    },
    "commune.exclude_running": {
        "vi": "Đang giải lại khi không đầu tư cho xã…",
        "en": "Re-solving without the commune's own investments…",
    },
    "commune.what_if_done": {"vi": "Đã giải lại", "en": "Re-solved"},
    "commune.lost_list": {"vi": "**Xã mất chuẩn:** {names}", "en": "**Communes lost:** {names}"},
    "commune.gained_list": {
        "vi": "**Xã được thêm:** {names}",
        "en": "**Communes gained:** {names}",
    },
    "reason.at_standard_already": {
        "vi": "Xã đã đạt chuẩn; kế hoạch bố trí {money} để giữ vững.",
        "en": "Already at standard; the plan spends {money} to keep it there.",
    },
    "reason.at_standard_free": {
        "vi": "Xã đã đạt chuẩn và giữ vững mà không cần thêm vốn.",
        "en": "Already at standard and stays there without money.",
    },
    "reason.reached": {
        "vi": "Kế hoạch đưa xã đạt chuẩn với {money}.",
        "en": "The plan brings it to standard with {money}.",
    },
    "reason.cannot_be_completed": {
        "vi": "Xã không thể đạt chuẩn trong giai đoạn: không có hạng mục nào khắc phục được {criteria}.",
        "en": "It cannot reach the standard within the horizon: no item closes {criteria}.",
    },
    "reason.no_eligible_source": {
        "vi": "Xã không thể đạt chuẩn: không nguồn vốn nào được phép chi cho các hạng mục khắc "
        "phục {criteria}.",
        "en": "It cannot reach the standard: no funding source may pay for the items that close "
        "{criteria}.",
    },
    "reason.too_costly": {
        "vi": "Chưa được chọn: để đạt chuẩn xã cần ít nhất {cost}, cao hơn xã tốn kém nhất mà kế "
        "hoạch đưa đạt chuẩn ({last}).",
        "en": "Not funded: completing it costs at least {cost}, more than the costliest commune "
        "the plan completed ({last}).",
    },
    "reason.too_costly_none": {
        "vi": "Chưa được chọn: để đạt chuẩn xã cần ít nhất {cost}, và kế hoạch không đưa xã nào "
        "đạt chuẩn mới.",
        "en": "Not funded: completing it costs at least {cost}, and the plan completes no commune.",
    },
    "reason.policy": {
        "vi": "Một chính sách của kịch bản loại xã khỏi chỉ tiêu (hạng mục bị loại, mức vốn tối "
        "đa cho một xã, hoặc là phường). {criteria}",
        "en": "A policy of the scenario keeps it out (items forced out, the commune cap, or it "
        "is a ward). {criteria}",
    },
    "reason.other_priorities": {
        "vi": "Chi phí để đạt chuẩn ({cost}) không cao hơn xã tốn kém nhất được chọn ({last}), "
        "nhưng các mục tiêu sau, ngân sách từng năm, quy định nguồn vốn hoặc chính sách đã ưu "
        "tiên xã khác. Bấm «Buộc xã đạt chuẩn» để biết chính xác cái giá.",
        "en": "Completing it ({cost}) costs no more than the costliest commune completed "
        "({last}), but later objectives, yearly budgets, source rules or policies favoured other "
        "communes. Press «Force it to standard» for the exact price.",
    },
    "reason.lost_standard": {
        "vi": "Xã mất chuẩn vào cuối giai đoạn (tiêu chí có nguy cơ không được duy tu).",
        "en": "It loses the standard by the end (an at-risk criterion is not maintained).",
    },
    "what_if.force_infeasible": {
        "vi": "Không thể buộc {name} đạt chuẩn: kịch bản trở nên không khả thi với ngân sách này.",
        "en": "{name} cannot be forced to standard: the scenario becomes infeasible.",
    },
    "what_if.exclude_infeasible": {
        "vi": "Không thể loại {name}: kịch bản trở nên không khả thi.",
        "en": "{name} cannot be excluded: the scenario becomes infeasible.",
    },
    "what_if.force_costs": {
        "vi": "Buộc {name} đạt chuẩn làm **{lost} xã khác** không còn đạt chuẩn. Tổng số xã đạt "
        "chuẩn: {before} → {after}; vốn sử dụng: {money_before} → {money_after}.",
        "en": "Forcing {name} to standard costs **{lost} other communes**: communes at standard "
        "{before} → {after}; money {money_before} → {money_after}.",
    },
    "what_if.force_gains": {
        "vi": "Buộc {name} đạt chuẩn còn đưa thêm **{lost} xã khác** đạt chuẩn. Tổng số xã đạt "
        "chuẩn: {before} → {after}; vốn sử dụng: {money_before} → {money_after}.",
        "en": "Forcing {name} to standard also brings **{lost} other communes** to it: {before} "
        "→ {after}; money {money_before} → {money_after}.",
    },
    "what_if.force_free": {
        "vi": "Buộc {name} đạt chuẩn không làm xã nào khác mất chuẩn. Tổng số xã đạt chuẩn: "
        "{before} → {after}; vốn sử dụng: {money_before} → {money_after}.",
        "en": "Forcing {name} to standard costs no other commune: {before} → {after}; money "
        "{money_before} → {money_after}.",
    },
    "what_if.exclude": {
        "vi": "Nếu không đầu tư {items} hạng mục riêng của {name}: tổng số xã đạt chuẩn "
        "{before} → {after}; vốn sử dụng: {money_before} → {money_after}.",
        "en": "Without {name}'s {items} own investments: communes at standard {before} → "
        "{after}; money {money_before} → {money_after}.",
    },
    # -- import page ------------------------------------------------------------------------------
    "import.title": {"vi": "Nhập bộ dữ liệu", "en": "Import a data package"},
    "import.intro": {
        "vi": "Tải lên bộ dữ liệu là một tệp Excel (.xlsx, theo mẫu) hoặc một tệp nén (.zip) các "
        "tệp CSV. Dữ liệu được kiểm tra đầy đủ: chỉ dùng khi không có lỗi; nếu có lỗi, bộ dữ "
        "liệu đang dùng được giữ nguyên.",
        "en": "Upload a data package: an Excel workbook (.xlsx, from the template) or a .zip of "
        "CSV files. It is checked in full and used only when it has no problem; otherwise the "
        "package in use stays.",
    },
    "import.template": {"vi": "Tải tệp Excel mẫu", "en": "Download the Excel template"},
    "import.upload": {"vi": "Tệp dữ liệu (.xlsx hoặc .zip)", "en": "Data file (.xlsx or .zip)"},
    "import.checking": {"vi": "Đang kiểm tra dữ liệu…", "en": "Checking the data…"},
    "import.invalid": {
        "vi": "Tệp «{file}» có {count} lỗi, chưa được dùng.",
        "en": "«{file}» has {count} problems and was not used.",
    },
    "import.kept": {
        "vi": "Bộ dữ liệu đang dùng được giữ nguyên. Sửa các lỗi dưới đây rồi tải lên lại.",
        "en": "The package in use is kept. Fix the problems below and upload again.",
    },
    "import.col_where": {"vi": "Tệp / trang tính", "en": "File / sheet"},
    "import.col_row": {"vi": "Dòng", "en": "Row"},
    "import.col_column": {"vi": "Cột", "en": "Column"},
    "import.col_problem": {"vi": "Lỗi", "en": "Problem"},
    "import.valid": {
        "vi": "Tệp «{file}» hợp lệ và đang được dùng.",
        "en": "«{file}» is valid and now in use.",
    },
    "import.summary": {
        "vi": "**{name}** · tỉnh {province} · {criteria_set} ({size} tiêu chí) · {communes} xã · "
        "{items} hạng mục · {sources} nguồn vốn · ngân sách {years}",
        "en": "**{name}** · {province} · {criteria_set} ({size} criteria) · {communes} communes · "
        "{items} investments · {sources} sources · budgets {years}",
    },
    "import.warning": {
        "vi": "Bộ dữ liệu dùng được, nhưng cần xem lại: {warning}",
        "en": "The package is usable, but check this: {warning}",
    },
    "import.see_data": {"vi": "Xem hiện trạng bộ dữ liệu", "en": "See the data package"},
    "import.in_use": {
        "vi": "Bộ dữ liệu đang dùng: **{name}**",
        "en": "Data package in use: **{name}**",
    },
    "import.bundled": {"vi": "Bộ dữ liệu có sẵn", "en": "Bundled data packages"},
    "import.bundled_pick": {
        "vi": "Chọn bộ dữ liệu (ví dụ: son_la_2026 — 75 xã, phường sau sắp xếp, bộ tiêu chí 2026-2030)",
        "en": "Choose a package (e.g. son_la_2026 — 75 units after the merger, 2026-2030 criteria)",
    },
    "import.bundled_use": {"vi": "Dùng bộ dữ liệu này", "en": "Use this package"},
    "import.back": {"vi": "Quay lại bộ dữ liệu mặc định", "en": "Back to the default package"},
    # -- history: recording runs ------------------------------------------------------------------
    "history.unavailable": {
        "vi": "Không mở được kho lịch sử `{where}` ({reason}). Các phương án vẫn được tính nhưng "
        "không được ghi vào lịch sử trong phiên làm việc này. Kiểm tra NTM_DATABASE_URL hoặc tệp "
        "cấu hình, rồi tải lại trang.",
        "en": "The history store `{where}` cannot be opened ({reason}). Plans are still computed "
        "but not recorded in this session. Check NTM_DATABASE_URL or the settings file, then "
        "reload the page.",
    },
    "history.not_recorded": {
        "vi": "Phương án đã tính xong nhưng không ghi được vào lịch sử: {reason}",
        "en": "The plan was computed but could not be recorded in the history: {reason}",
    },
    "history.recorded": {
        "vi": "Đã ghi vào lịch sử: lần chạy số {run}, kịch bản «{name}» phiên bản {version}.",
        "en": "Recorded in the history: run {run}, scenario «{name}» version {version}.",
    },
    "approval.draft": {"vi": "Bản nháp", "en": "Draft"},
    "approval.submitted": {"vi": "Đã trình duyệt", "en": "Submitted"},
    "approval.approved": {"vi": "Đã phê duyệt", "en": "Approved"},
    "plan_status.optimal": {"vi": "Tối ưu", "en": "Optimal"},
    "plan_status.feasible": {
        "vi": "Khả thi (dừng do hết thời gian)",
        "en": "Feasible (stopped at the time limit)",
    },
    "plan_status.infeasible": {"vi": "Không khả thi", "en": "Infeasible"},
    "plan_status.heuristic": {"vi": "Theo quy tắc", "en": "By a rule"},
    # -- history page -----------------------------------------------------------------------------
    "hist.title": {"vi": "Lịch sử chạy và phê duyệt", "en": "Run history and approvals"},
    "hist.intro": {
        "vi": "Mỗi phương án tính trong ứng dụng hoặc bằng lệnh `ntm` được ghi lại cùng kịch bản "
        "(theo phiên bản), bộ dữ liệu, người chạy và thời điểm. Kho lịch sử: `{where}`.",
        "en": "Every plan computed in the app or with the `ntm` command is recorded with its "
        "scenario (by version), data package, who ran it and when. History store: `{where}`.",
    },
    "hist.unavailable": {
        "vi": "Không mở được kho lịch sử `{where}`: {reason}",
        "en": "The history store `{where}` cannot be opened: {reason}",
    },
    "hist.unavailable_hint": {
        "vi": "Đặt biến môi trường NTM_DATABASE_URL (đường dẫn tệp SQLite hoặc địa chỉ "
        "PostgreSQL) hoặc `database_url` trong tệp cấu hình, rồi tải lại trang (xem docs/store.md).",
        "en": "Set NTM_DATABASE_URL (a SQLite file path or a PostgreSQL URL) or `database_url` in "
        "the settings file, then reload the page (see docs/store.md).",
    },
    "hist.filter_scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "hist.filter_user": {"vi": "Người chạy", "en": "Run by"},
    "hist.all": {"vi": "Tất cả", "en": "All"},
    "hist.none": {
        "vi": "Chưa có lần chạy nào trong lịch sử. Chạy một kịch bản trên trang Kịch bản: lần chạy "
        "sẽ hiện ở đây.",
        "en": "No run in the history yet. Run a scenario on the Scenario page and it appears here.",
    },
    "hist.none_filtered": {
        "vi": "Không có lần chạy nào khớp bộ lọc.",
        "en": "No run matches the filters.",
    },
    "hist.runs_caption": {
        "vi": "{count} lần chạy, mới nhất ở trên; giờ Việt Nam. «Phê duyệt» là tình trạng hiện nay "
        "của phiên bản kịch bản.",
        "en": "{count} runs, newest first; Vietnam time. «Approval» is the scenario version's "
        "state today.",
    },
    "hist.col_run": {"vi": "Lần chạy", "en": "Run"},
    "hist.col_when": {"vi": "Thời điểm", "en": "When"},
    "hist.col_scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "hist.col_version": {"vi": "Phiên bản", "en": "Version"},
    "hist.col_approval": {"vi": "Phê duyệt", "en": "Approval"},
    "hist.col_dataset": {"vi": "Bộ dữ liệu", "en": "Data package"},
    "hist.col_method": {"vi": "Phương pháp", "en": "Method"},
    "hist.col_status": {"vi": "Kết quả giải", "en": "Solver result"},
    "hist.col_standard": {"vi": "Xã đạt chuẩn", "en": "At standard"},
    "hist.col_standard_help": {
        "vi": "Số xã đạt chuẩn nông thôn mới: hiện nay → sau kế hoạch.",
        "en": "Communes at the NTM standard: today → after the plan.",
    },
    "hist.col_money": {"vi": "Vốn (tỷ đồng)", "en": "Money (billion VND)"},
    "hist.col_user": {"vi": "Người chạy", "en": "Run by"},
    "hist.col_note": {"vi": "Ghi chú", "en": "Note"},
    "hist.run_label": {
        "vi": "Lần chạy {run} · {when} · {scenario} (phiên bản {version}) · {user}",
        "en": "Run {run} · {when} · {scenario} (version {version}) · {user}",
    },
    "hist.section": {"vi": "Việc cần làm", "en": "What to do"},
    "hist.section.open": {"vi": "Xem lại một lần chạy", "en": "Reopen a run"},
    "hist.section.compare": {"vi": "So sánh hai lần chạy", "en": "Compare two runs"},
    "hist.section.rerun": {"vi": "Chạy lại trên dữ liệu hiện tại", "en": "Re-run on current data"},
    "hist.section.approval": {"vi": "Phê duyệt kịch bản", "en": "Scenario approval"},
    # reopen
    "hist.open_run": {"vi": "Lần chạy", "en": "Run"},
    "hist.open_about": {
        "vi": "Kịch bản **{scenario}**, phiên bản {version} ({state}) · dữ liệu «{dataset}» · "
        "{method} · chạy bởi {user} lúc {when}. Kết quả đọc từ lịch sử, không tính lại.",
        "en": "Scenario **{scenario}**, version {version} ({state}) · data «{dataset}» · "
        "{method} · run by {user} at {when}. Read from the history, not solved again.",
    },
    "hist.other_data": {
        "vi": "Lần chạy này dùng bộ dữ liệu khác bộ đang mở; bảng và biểu đồ dưới đây theo dữ liệu "
        "đã lưu cùng lần chạy.",
        "en": "This run used other data than the package open now; the tables and charts below "
        "follow the data stored with the run.",
    },
    "hist.rerun_of": {"vi": "Chạy lại của lần chạy {run}.", "en": "A re-run of run {run}."},
    "hist.note": {"vi": "Ghi chú: {note}", "en": "Note: {note}"},
    # compare
    "hist.run_a": {"vi": "Lần chạy A (trước)", "en": "Run A (before)"},
    "hist.run_b": {"vi": "Lần chạy B (sau)", "en": "Run B (after)"},
    "hist.need_two": {
        "vi": "Cần ít nhất hai lần chạy để so sánh.",
        "en": "Comparing needs at least two runs.",
    },
    "hist.same_run": {"vi": "Hãy chọn hai lần chạy khác nhau.", "en": "Pick two different runs."},
    "hist.same_decisions": {
        "vi": "Hai lần chạy có cùng quyết định: cùng hạng mục, cùng năm bắt đầu, cùng số tiền "
        "từng nguồn từng năm.",
        "en": "The two runs decide the same: the same items, start years and payments by "
        "source and year.",
    },
    "hist.status_changed": {
        "vi": "Kết quả giải: {a} → {b}.",
        "en": "Solver result: {a} → {b}.",
    },
    "hist.kpis": {"vi": "Chỉ tiêu chính", "en": "Headline figures"},
    "hist.col_figure": {"vi": "Chỉ tiêu", "en": "Figure"},
    "hist.col_change": {"vi": "Thay đổi", "en": "Change"},
    "hist.col_change_money": {"vi": "Thay đổi (tỷ đồng)", "en": "Change (billion VND)"},
    "hist.col_run_money": {"vi": "{run} (tỷ đồng)", "en": "{run} (billion VND)"},
    "hist.budget_total": {"vi": "Ngân sách (tỷ đồng)", "en": "Budget (billion VND)"},
    "hist.communes_changed": {
        "vi": "Xã thay đổi kết quả đạt chuẩn ({count})",
        "en": "Communes whose standard outcome changes ({count})",
    },
    "hist.no_commune_changed": {
        "vi": "Không xã nào thay đổi kết quả đạt chuẩn.",
        "en": "No commune's standard outcome changes.",
    },
    "hist.items_changed": {
        "vi": "Hạng mục thêm, bỏ hoặc đổi năm ({count})",
        "en": "Items added, removed or moved ({count})",
    },
    "hist.no_item_changed": {
        "vi": "Không hạng mục nào thay đổi.",
        "en": "No item changes.",
    },
    "hist.money_changed": {
        "vi": "Vốn theo nguồn và năm",
        "en": "Money by source and year",
    },
    "hist.no_money_changed": {
        "vi": "Vốn từng nguồn từng năm không đổi.",
        "en": "Money by source and year is unchanged.",
    },
    "hist.money_by_commune": {
        "vi": "Vốn theo xã ({count} xã thay đổi)",
        "en": "Money by commune ({count} communes change)",
    },
    "hist.col_start": {"vi": "Năm bắt đầu {run}", "en": "Start year {run}"},
    "hist.col_year_standard": {"vi": "Năm đạt chuẩn {run}", "en": "Year at standard {run}"},
    "hist.col_criteria": {"vi": "Tiêu chí đạt {run}", "en": "Criteria met {run}"},
    "hist.col_cost": {"vi": "Tổng vốn (tỷ đồng)", "en": "Cost (billion VND)"},
    "item_change.added": {"vi": "Thêm mới", "en": "Added"},
    "item_change.removed": {"vi": "Bỏ ra", "en": "Removed"},
    "item_change.moved": {"vi": "Đổi năm bắt đầu", "en": "Start year moved"},
    "standard_change.gained": {"vi": "Đạt chuẩn thêm", "en": "Gains the standard"},
    "standard_change.lost": {"vi": "Không còn đạt chuẩn", "en": "Loses the standard"},
    "standard_change.earlier": {"vi": "Đạt chuẩn sớm hơn", "en": "Reaches it earlier"},
    "standard_change.later": {"vi": "Đạt chuẩn muộn hơn", "en": "Reaches it later"},
    # re-run
    "hist.rerun_intro": {
        "vi": "Giải lại đúng phiên bản kịch bản của một lần chạy cũ trên bộ dữ liệu đang mở "
        "(«{dataset}»), ghi thành lần chạy mới và so sánh với lần chạy gốc.",
        "en": "Solve the scenario version of an earlier run again on the data package open now "
        "(«{dataset}»), record it as a new run and compare it with the original.",
    },
    "hist.rerun_run": {"vi": "Lần chạy gốc", "en": "Original run"},
    "hist.rerun_same_data": {
        "vi": "Dữ liệu đang mở trùng với dữ liệu của lần chạy gốc: đây là kiểm tra tái lập kết quả.",
        "en": "The data open now is the original run's data: this checks that the plan reproduces.",
    },
    "hist.rerun_new_data": {
        "vi": "Dữ liệu đang mở khác dữ liệu của lần chạy gốc («{dataset}»): kết quả cho thấy "
        "kịch bản cũ trên dữ liệu mới.",
        "en": "The data open now differs from the original run's («{dataset}»): the result shows "
        "the old scenario on the new data.",
    },
    "hist.rerun_button": {
        "vi": "Chạy lại phiên bản {version} của «{scenario}»",
        "en": "Re-run version {version} of «{scenario}»",
    },
    "hist.rerun_checks": {
        "vi": "Chưa chạy được: kịch bản nêu những thứ bộ dữ liệu đang mở không có:",
        "en": "Not run: the scenario names things the data package open now does not have:",
    },
    "hist.rerun_note": {
        "vi": "chạy lại lần chạy {run} trên dữ liệu «{dataset}»",
        "en": "re-run of run {run} on data «{dataset}»",
    },
    "hist.rerun_done": {
        "vi": "Lần chạy mới số {run} đã được ghi. So sánh lần chạy gốc {original} (A) với lần "
        "chạy mới {run} (B):",
        "en": "New run {run} recorded. Original run {original} (A) against the new run {run} (B):",
    },
    "hist.reproduced": {
        "vi": "Tái lập chính xác: cùng hạng mục, cùng năm, cùng số tiền.",
        "en": "Reproduced exactly: the same items, years and money.",
    },
    # approval
    "hist.approval_intro": {
        "vi": "Mỗi phiên bản kịch bản đi theo trình tự: bản nháp → đã trình duyệt → đã phê duyệt. "
        "Người phê duyệt có thể trả lại bản đã trình về bản nháp kèm ghi chú. Phiên bản đã phê "
        "duyệt được giữ nguyên vĩnh viễn.",
        "en": "Each scenario version goes draft → submitted → approved. An approver may return a "
        "submitted version to draft with a note. An approved version never changes again.",
    },
    "hist.no_scenarios": {
        "vi": "Chưa có kịch bản nào trong lịch sử.",
        "en": "No scenario in the history yet.",
    },
    "hist.approval_scenario": {"vi": "Kịch bản", "en": "Scenario"},
    "hist.approval_version": {"vi": "Phiên bản", "en": "Version"},
    "hist.version_label": {
        "vi": "Phiên bản {version} · {state}",
        "en": "Version {version} · {state}",
    },
    "hist.version_about": {
        "vi": "**Phiên bản {version}: {state}** (bởi {state_by}, {state_at}). Lưu bởi {saved_by} "
        "lúc {saved_at}.",
        "en": "**Version {version}: {state}** (by {state_by}, {state_at}). Saved by {saved_by} at "
        "{saved_at}.",
    },
    "hist.version_changes": {
        "vi": "Thay đổi so với phiên bản trước:",
        "en": "Changes from the previous version:",
    },
    "hist.version_first": {"vi": "Phiên bản đầu tiên.", "en": "The first version."},
    "hist.version_same": {
        "vi": "Không trường nào thay đổi so với phiên bản trước.",
        "en": "No field changed from the previous version.",
    },
    "hist.frozen": {
        "vi": "Phiên bản {version} đã được phê duyệt nên được giữ nguyên (đóng băng). Muốn thay "
        "đổi, hãy sửa kịch bản trên trang Kịch bản rồi chạy hoặc lưu: một phiên bản mới (bản "
        "nháp) sẽ được tạo, phiên bản đã phê duyệt không đổi.",
        "en": "Version {version} is approved and therefore frozen. To change it, edit the "
        "scenario on the Scenario page and run it: that makes a new version (a draft); the "
        "approved one stays as it is.",
    },
    "hist.approval_note": {"vi": "Ghi chú (lý do, ý kiến)", "en": "Note (reason, comments)"},
    "hist.submit": {"vi": "Trình duyệt", "en": "Submit"},
    "hist.approve": {"vi": "Phê duyệt", "en": "Approve"},
    "hist.reject": {"vi": "Trả lại", "en": "Return to draft"},
    "hist.approval_done": {
        "vi": "«{scenario}» phiên bản {version}: {state}.",
        "en": "«{scenario}» version {version}: {state}.",
    },
    "hist.approval_history": {"vi": "Quá trình phê duyệt", "en": "Approval history"},
    "hist.no_events": {
        "vi": "Kịch bản này chưa qua bước phê duyệt nào.",
        "en": "No approval step for this scenario yet.",
    },
    "hist.col_from": {"vi": "Từ", "en": "From"},
    "hist.col_to": {"vi": "Sang", "en": "To"},
    "hist.col_by": {"vi": "Người thực hiện", "en": "By"},
    "approval_error.frozen": {
        "vi": "Không thực hiện được: «{scenario}» phiên bản {version} đã được phê duyệt và đóng "
        "băng, không thể chuyển sang «{to}». Hãy lưu thay đổi thành phiên bản mới rồi trình "
        "duyệt phiên bản đó.",
        "en": "Not done: «{scenario}» version {version} is approved and frozen; it cannot become "
        "«{to}». Save your changes as a new version and submit that one.",
    },
    "approval_error.not_submitted": {
        "vi": "Không thực hiện được: «{scenario}» phiên bản {version} đang là bản nháp, chưa "
        "trình duyệt; chỉ trả lại được bản đã trình.",
        "en": "Not done: «{scenario}» version {version} is a draft, not submitted; only a "
        "submitted version can be returned.",
    },
    "approval_error.already": {
        "vi": "Không thực hiện được: «{scenario}» phiên bản {version} đã ở trạng thái «{to}».",
        "en": "Not done: «{scenario}» version {version} is already «{to}».",
    },
    "approval_error.submit_first": {
        "vi": "Không thực hiện được: «{scenario}» phiên bản {version} đang là bản nháp; hãy trình "
        "duyệt trước khi phê duyệt.",
        "en": "Not done: «{scenario}» version {version} is a draft; submit it before it can be "
        "approved.",
    },
    "approval_error.other": {
        "vi": "Không thực hiện được: «{scenario}» phiên bản {version} không thể chuyển từ "
        "«{current}» sang «{to}».",
        "en": "Not done: «{scenario}» version {version} cannot go from «{current}» to «{to}».",
    },
    # -- options page (near-optimal alternatives) ------------------------------------------------
    "page.options": {"vi": "Phương án", "en": "Options"},
    "options.title": {"vi": "Các phương án tốt để lựa chọn", "en": "Good options to choose from"},
    "options.intro": {
        "vi": "Từ kịch bản đang làm, tìm thêm các phương án khác nhau nhưng tốt gần như phương "
        "án tối ưu (không kém quá mức dung sai về mục tiêu đầu tiên), so sánh và tải bản tóm "
        "tắt một trang cho cuộc họp.",
        "en": "From the current scenario, find other plans that differ but are nearly as good "
        "as the optimum (within the tolerance on its first objective), compare them and "
        "download a one-page brief for the meeting.",
    },
    "options.scenario": {"vi": "Kịch bản: **{name}**", "en": "Scenario: **{name}**"},
    "options.k": {"vi": "Số phương án thay thế", "en": "Alternatives"},
    "options.tolerance": {"vi": "Dung sai", "en": "Tolerance"},
    "options.tolerance_help": {
        "vi": "Mỗi phương án được kém phương án tối ưu bao nhiêu về mục tiêu đầu tiên (số xã; "
        "triệu đồng nếu mục tiêu là ít vốn nhất). 0: tốt bằng phương án tối ưu.",
        "en": "How much worse than the optimum an option may be on the first objective "
        "(communes; million VND for least money). 0: as good as the optimum.",
    },
    "options.leans": {"vi": "Định hướng (tùy chọn)", "en": "Leanings (optional)"},
    "options.leans_help": {
        "vi": "Không chọn: mỗi phương án khác các phương án trước nhiều nhất. Chọn một hay "
        "nhiều: phương án thứ n theo định hướng thứ n (lặp lại nếu cần).",
        "en": "None: each option differs most from the earlier ones. One or more: option n "
        "follows the n-th leaning (cycling).",
    },
    "options.leans_placeholder": {"vi": "khác nhiều nhất", "en": "most different"},
    "options.lean.border": {"vi": "Xã biên giới", "en": "Border communes"},
    "options.lean.extremely_difficult": {
        "vi": "Xã đặc biệt khó khăn",
        "en": "Extremely difficult communes",
    },
    "options.lean.poorest": {"vi": "Huyện nghèo nhất", "en": "Poorest districts"},
    "options.lean.livelihood": {
        "vi": "Sinh kế hơn hạ tầng",
        "en": "Livelihood over infrastructure",
    },
    "options.lean.districts": {
        "vi": "Ít huyện không có xã mới đạt chuẩn",
        "en": "Fewest districts without a new commune at standard",
    },
    "options.ask.optimum": {"vi": "Phương án tối ưu", "en": "The optimum"},
    "options.ask.diverse": {"vi": "Khác nhiều nhất", "en": "Most different"},
    "options.ask.border": {"vi": "Ưu tiên xã biên giới", "en": "Leans to border communes"},
    "options.ask.extremely_difficult": {
        "vi": "Ưu tiên xã đặc biệt khó khăn",
        "en": "Leans to extremely difficult communes",
    },
    "options.ask.poorest": {"vi": "Ưu tiên vùng nghèo nhất", "en": "Leans to the poorest areas"},
    "options.ask.livelihood": {"vi": "Sinh kế hơn hạ tầng", "en": "Livelihood over infrastructure"},
    "options.ask.districts": {
        "vi": "Ít huyện không có xã mới đạt chuẩn nhất",
        "en": "Fewest districts without a new commune at standard",
    },
    "options.run": {"vi": "Tạo phương án", "en": "Find options"},
    "options.running": {
        "vi": "Đang giải phương án tối ưu và {k} phương án thay thế…",
        "en": "Solving the optimum and {k} alternatives…",
    },
    "options.none_yet": {
        "vi": "Chọn số phương án rồi bấm «Tạo phương án».",
        "en": "Choose how many options, then press «Find options».",
    },
    "options.unsupported": {
        "vi": "Bộ dữ liệu không hỗ trợ định hướng này: {reason}",
        "en": "The data package cannot support this leaning: {reason}",
    },
    "options.failed": {"vi": "Không tạo được phương án: {reason}", "en": "No options: {reason}"},
    "options.side_by_side": {"vi": "Các phương án cạnh nhau", "en": "Side by side"},
    "options.at_standard": {"vi": "Xã đạt chuẩn", "en": "Communes at standard"},
    "options.at_floor": {
        "vi": "Xã đạt từ {floor} tiêu chí",
        "en": "Communes with {floor}+ criteria",
    },
    "options.money": {"vi": "Vốn sử dụng", "en": "Money used"},
    "options.swap": {
        "vi": "So với tối ưu: +{gained} / −{lost} xã đạt chuẩn",
        "en": "Against the optimum: +{gained} / −{lost} communes at standard",
    },
    "options.table": {"vi": "Bảng phương án", "en": "Options table"},
    "options.communes": {
        "vi": "Xã đạt chuẩn ở phương án này nhưng không ở phương án khác",
        "en": "Communes at standard in some options but not others",
    },
    "options.no_commune_differs": {
        "vi": "Mọi phương án đưa cùng các xã đạt chuẩn.",
        "en": "Every option brings the same communes to standard.",
    },
    "options.download_brief": {"vi": "Tải bản tóm tắt (PDF)", "en": "Download the brief (PDF)"},
    "options.download_excel": {"vi": "Tải bảng phương án (Excel)", "en": "Download the workbook"},
    # -- progress page (ui/pages/progress.py, issue #18) -------------------------------------------
    "progress.title": {
        "vi": "Tiến độ thực hiện và lập lại kế hoạch",
        "en": "Progress and re-planning",
    },
    "progress.intro": {
        "vi": "Chọn kế hoạch đã chạy (thường là kế hoạch đã duyệt), tải lên báo cáo tiến độ "
        "(sheet progress_items, progress_disbursements, progress_criteria), xem kế hoạch so với "
        "thực tế, rồi lập lại kế hoạch cho các năm còn lại với ít thay đổi nhất.",
        "en": "Pick a recorded plan (normally the approved one), upload a progress report "
        "(sheets progress_items, progress_disbursements, progress_criteria), see the plan against "
        "what happened, then re-plan the remaining years with as few changes as possible.",
    },
    "progress.no_store": {
        "vi": "Không mở được kho lịch sử ({reason}); cần một kế hoạch đã lưu để lập lại.",
        "en": "The history store cannot be opened ({reason}); re-planning needs a recorded plan.",
    },
    "progress.no_runs": {
        "vi": "Chưa có kế hoạch nào được lưu. Chạy một kịch bản theo năm trước.",
        "en": "No plan is recorded yet. Run a year-by-year scenario first.",
    },
    "progress.run": {"vi": "Kế hoạch cần điều chỉnh", "en": "Plan to revise"},
    "progress.run_label": {
        "vi": "Lượt {run}: {scenario} v{version} ({state}), {start}-{end}",
        "en": "Run {run}: {scenario} v{version} ({state}), {start}-{end}",
    },
    "progress.upload": {
        "vi": "Báo cáo tiến độ (.xlsx)",
        "en": "Progress report (.xlsx)",
    },
    "progress.problems": {
        "vi": "Báo cáo tiến độ có {count} lỗi; chưa lập lại kế hoạch:",
        "en": "The progress report has {count} problem(s); nothing re-planned:",
    },
    "progress.loaded": {
        "vi": "Đã đọc: {items} hạng mục, {payments} dòng giải ngân, {criteria} tiêu chí đánh giá lại.",
        "en": "Read: {items} item(s), {payments} disbursement row(s), {criteria} reassessed "
        "criterion/criteria.",
    },
    "progress.from_year": {"vi": "Lập lại từ năm", "en": "Re-plan from year"},
    "progress.scale": {
        "vi": "Ngân sách các năm còn lại (hệ số)",
        "en": "Budgets of the remaining years (factor)",
    },
    "progress.replan": {"vi": "Lập lại kế hoạch", "en": "Re-plan"},
    "progress.solving": {"vi": "Đang lập lại kế hoạch…", "en": "Re-planning…"},
    "progress.money": {
        "vi": "Vốn: kế hoạch so với giải ngân",
        "en": "Money: planned against disbursed",
    },
    "progress.criteria": {
        "vi": "Tiêu chí: kế hoạch so với thực tế",
        "en": "Criteria: planned against actual",
    },
    "progress.behind": {
        "vi": "Xã chậm so với năm dự kiến đạt chuẩn",
        "en": "Communes falling behind the year they were to reach the standard",
    },
    "progress.none_behind": {"vi": "Không có xã nào chậm.", "en": "No commune falls behind."},
    "progress.changes": {"vi": "Những gì thay đổi và vì sao", "en": "What changed and why"},
    "progress.kept": {"vi": "Giữ", "en": "Kept"},
    "progress.moved": {"vi": "Dời năm", "en": "Moved"},
    "progress.dropped": {"vi": "Bỏ", "en": "Dropped"},
    "progress.added": {"vi": "Thêm", "en": "Added"},
    "progress.completed": {"vi": "Đã hoàn thành", "en": "Completed"},
    "progress.at_standard": {"vi": "Xã đạt chuẩn (cuối kỳ)", "en": "Communes at standard (end)"},
    "progress.infeasible": {
        "vi": "Không có kế hoạch thỏa mọi ràng buộc: {message}",
        "en": "No plan meets every constraint: {message}",
    },
    "progress.save": {"vi": "Lưu thành phiên bản mới", "en": "Save as a new version"},
    "progress.saved": {
        "vi": "Đã lưu: lượt {run} — {scenario} v{version} (bản nháp, điều chỉnh lượt {revised}).",
        "en": "Saved: run {run} — {scenario} v{version} (draft, revising run {revised}).",
    },
    "progress.submit": {"vi": "Trình phê duyệt", "en": "Submit for approval"},
    "progress.submitted": {
        "vi": "{scenario} v{version} đã trình phê duyệt.",
        "en": "{scenario} v{version} is submitted for approval.",
    },
    # -- accounts and sign-in (issue 19) ---------------------------------------------------------
    "auth.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.name": {"vi": "Tên đăng nhập", "en": "User name"},
    "auth.password": {"vi": "Mật khẩu", "en": "Password"},
    "auth.password_again": {"vi": "Nhập lại mật khẩu", "en": "Password again"},
    "auth.sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "auth.signed_in_as": {
        "vi": "Đang đăng nhập: **{name}** ({roles})",
        "en": "Signed in as **{name}** ({roles})",
    },
    "auth.failed": {"vi": "Không đăng nhập được: {reason}", "en": "Not signed in: {reason}"},
    "auth.wrong": {
        "vi": "Sai tên đăng nhập hoặc mật khẩu.",
        "en": "Wrong user name or password.",
    },
    "auth.locked": {
        "vi": "Đăng nhập sai quá nhiều lần: tài khoản bị khóa 15 phút. Hãy thử lại sau hoặc nhờ "
        "quản trị viên đặt lại mật khẩu.",
        "en": "Too many failed sign-ins: the account is locked for 15 minutes. Try later or ask "
        "an admin to reset the password.",
    },
    "auth.disabled": {
        "vi": "Tài khoản này đã bị khóa; hãy liên hệ quản trị viên.",
        "en": "This account is disabled; ask an admin.",
    },
    "auth.expired": {
        "vi": "Phiên làm việc đã hết hạn do không hoạt động; hãy đăng nhập lại.",
        "en": "Your session ended after a period without activity; please sign in again.",
    },
    "auth.first_title": {"vi": "Tạo quản trị viên đầu tiên", "en": "Create the first admin"},
    "auth.first_intro": {
        "vi": "Kho lịch sử chưa có tài khoản nào. Tạo tài khoản quản trị viên đầu tiên (có quyền "
        "quản trị, lập kế hoạch, tài chính và phê duyệt); sau đó thêm người dùng khác bằng lệnh "
        "`ntm user add`. Mật khẩu ít nhất 10 ký tự và không chứa tên đăng nhập.",
        "en": "The history store has no account yet. Create the first admin (with the admin, "
        "planner, finance and approver roles); add other users afterwards with `ntm user add`. "
        "The password needs at least 10 characters and must not contain the user name.",
    },
    "auth.first_create": {"vi": "Tạo tài khoản", "en": "Create the account"},
    "auth.mismatch": {"vi": "Hai mật khẩu không giống nhau.", "en": "The two passwords differ."},
    "auth.first_taken": {
        "vi": "Quản trị viên đầu tiên vừa được tạo ở nơi khác; hãy đăng nhập.",
        "en": "The first admin was just created elsewhere; please sign in.",
    },
    "auth.no_store": {
        "vi": "Không mở được kho lịch sử ({where}): {reason}. Tài khoản người dùng được lưu ở "
        "đó nên chưa thể đăng nhập.",
        "en": "The history store ({where}) cannot be opened: {reason}. User accounts live there, "
        "so nobody can sign in until it opens.",
    },
    "auth.cannot_run": {
        "vi": "Vai trò của bạn chỉ cho phép xem; chạy và lưu kịch bản cần vai trò lập kế hoạch "
        "hoặc tài chính.",
        "en": "Your role may only view; running and saving scenarios needs the planner or "
        "finance role.",
    },
    "auth.cannot_import": {
        "vi": "Nhập gói dữ liệu cần vai trò lập kế hoạch.",
        "en": "Importing a data package needs the planner role.",
    },
    "auth.cannot_approve": {
        "vi": "Chỉ người phê duyệt mới trình, phê duyệt hoặc trả lại phiên bản.",
        "en": "Only approvers submit, approve or return versions.",
    },
    "auth.four_eyes": {
        "vi": "Không thực hiện: bạn đã trình phiên bản {version} của «{scenario}»; theo nguyên "
        "tắc bốn mắt, một người phê duyệt khác phải phê duyệt.",
        "en": "Not done: you submitted version {version} of «{scenario}»; under the four-eyes "
        "rule another approver must approve it.",
    },
    "auth.refused": {"vi": "Không được phép: {reason}", "en": "Not allowed: {reason}"},
    "role.viewer": {"vi": "xem", "en": "viewer"},
    "role.planner": {"vi": "lập kế hoạch", "en": "planner"},
    "role.finance": {"vi": "tài chính", "en": "finance"},
    "role.approver": {"vi": "phê duyệt", "en": "approver"},
    "role.admin": {"vi": "quản trị", "en": "admin"},
    "page.audit": {"vi": "Nhật ký kiểm toán", "en": "Audit trail"},
    "audit.title": {"vi": "Nhật ký kiểm toán", "en": "Audit trail"},
    "audit.intro": {
        "vi": "Mọi thay đổi: đăng nhập, người dùng và vai trò, gói dữ liệu, phiên bản kịch bản, "
        "phê duyệt, lần chạy. Mỗi bản ghi mang mã băm của bản ghi trước nên không sửa được mà "
        "không bị phát hiện.",
        "en": "Every change: sign-ins, users and roles, data packages, scenario versions, "
        "approvals, runs. Each record carries the hash of the one before, so none can be "
        "changed unnoticed.",
    },
    "audit.verify": {"vi": "Kiểm tra chuỗi", "en": "Verify the chain"},
    "audit.intact": {
        "vi": "Nhật ký nguyên vẹn: không bản ghi và không phiên bản đã duyệt nào bị sửa.",
        "en": "The trail is intact: no record and no approved version was changed.",
    },
    "audit.broken": {
        "vi": "Phát hiện {count} thay đổi ngoài ứng dụng:",
        "en": "{count} change(s) made outside the application:",
    },
    "audit.col.when": {"vi": "Thời điểm (UTC)", "en": "When (UTC)"},
    "audit.col.who": {"vi": "Người", "en": "Who"},
    "audit.col.what": {"vi": "Việc", "en": "What"},
    "audit.col.target": {"vi": "Đối tượng", "en": "On"},
    "audit.col.detail": {"vi": "Chi tiết", "en": "Details"},
    "audit.filter_who": {"vi": "Người", "en": "Who"},
    "audit.filter_what": {"vi": "Loại việc (tiền tố)", "en": "Action (prefix)"},
    "audit.none": {"vi": "Không có bản ghi nào.", "en": "No record."},
}
STRINGS.update(PAGE_STRINGS)

# -- Risk page (issue 20): its own block, kept in ui/risk_i18n.py
from ui.risk_i18n import RISK_STRINGS  # noqa: E402

STRINGS.update(RISK_STRINGS)

UNITS_VI = {
    "%": "%",
    "km": "km",
    "percentage point": "điểm phần trăm",
    "percentage points": "điểm phần trăm",
    "works": "công trình",
    "million VND/person": "triệu đồng/người",
    "plan": "quy hoạch",
    "school": "trường",
    "facility": "công trình",
    "market": "chợ",
    "point": "điểm",
    "house": "nhà",
    "cooperative": "hợp tác xã",
    "village": "bản",
}
"""Vietnamese names of the gap units the built-in criteria sets use; other units show as written."""


def current_language() -> str:
    """The language chosen in the sidebar (Vietnamese until the user switches)."""
    lang = st.session_state.get(LANGUAGE_KEY, DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


ONE_OF_MANY = re.compile(
    r"(?<![\d.,])([+\-−]?1 (?:other )?)(communes|problems|runs|points|items|investments|sources"
    r"|versions|plans|levels|households|criteria)\b"
)
"""English "1 communes", "+1 communes": the count of one with a plural noun."""
SINGULAR = {"criteria": "criterion", "households": "household"}


def t(key: str, lang: str | None = None, **values: Any) -> str:
    """The text for ``key`` in ``lang`` (default: the chosen language), with ``{values}`` filled;
    in English a count of one takes the singular ("1 commune", not "1 communes")."""
    language = lang or current_language()
    text = STRINGS[key][language]
    if not values:
        return text
    text = text.format(**values)
    if language == "en":
        text = ONE_OF_MANY.sub(
            lambda m: f"{m[1]}{SINGULAR.get(m[2], m[2].removesuffix('s'))}", text
        )
    return text


def plan_note(message: str, lang: str | None = None, floor: int | None = None) -> str:
    """A plan's note in the language (``floor`` names the criteria-floor objective)."""
    language = lang or current_language()
    return notes.plan_note(message, language, lambda o: objective_name(o, language, floor))


def criterion_name(criterion: Criterion, lang: str | None = None) -> str:
    """The criterion's name in the language: ``Giao thông`` / ``Transport``."""
    return criterion.name_en if (lang or current_language()) == "en" else criterion.name_vi


def criterion_label(criterion: Criterion, lang: str | None = None) -> str:
    """Number and name, as the official list writes them: ``2. Giao thông``."""
    return f"{criterion.number}. {criterion_name(criterion, lang)}"


def criteria_set_name(code: str, lang: str | None = None) -> str:
    """A known criteria set's full name; an unknown set shows its code."""
    key = f"criteria_set.{code}"
    return t(key, lang) if key in STRINGS else code


def unit_name(unit: str, lang: str | None = None, amount: float | None = None) -> str:
    """A gap unit in the language (units are written in English in the data); in English a
    countable unit takes the plural for an ``amount`` other than one ("2 schools short")."""
    if (lang or current_language()) == "vi":
        return UNITS_VI.get(unit, unit)
    if amount is None or amount == 1:
        return unit
    if unit == "percentage point":
        return "percentage points"
    if not unit.isalpha() or unit in {"km", "works"} or unit.endswith("s"):
        return unit
    return unit[:-1] + "ies" if unit.endswith("y") and unit[-2] not in "aeiou" else unit + "s"


def group_name(flag: CommuneFlag | str, lang: str | None = None) -> str:
    """A commune group (policy flag) as a filter shows it: ``Xã biên giới``."""
    return t(f"group.{CommuneFlag(flag).value}", lang)


def flag_short(flag: CommuneFlag | str, lang: str | None = None) -> str:
    """A policy flag as a table cell shows it: ``ĐBKK``, ``Biên giới``, ``ATK``."""
    return t(f"flag.{CommuneFlag(flag).value}", lang)


def region_name(region: str, lang: str | None = None) -> str:
    """``Khu vực III`` / ``Region III``."""
    return t("region", lang, region=region)


def source_name(source: FundingSource, lang: str | None = None) -> str:
    """A funding source's name in the language (from the dataset)."""
    return source.name_en if (lang or current_language()) == "en" else source.name_vi


def objective_name(
    objective: Objective | str, lang: str | None = None, floor: int | None = None
) -> str:
    """An objective as a planner says it: ``Nhiều xã đạt chuẩn nông thôn mới nhất``."""
    return t(f"objective.{Objective(objective).value}", lang, floor=floor if floor else "…")


def policy_group_name(group: CommuneGroup | str, lang: str | None = None) -> str:
    """A group a policy can name: ``Xã đặc biệt khó khăn``, ``Xã khu vực III``."""
    return t(f"policy_group.{CommuneGroup(group).value}", lang)
