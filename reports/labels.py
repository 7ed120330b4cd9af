"""Every text the reports and the command line show, keyed, in Vietnamese (default) and English.

Tables (``reports.tables``) use stable snake_case column keys; the Excel writer and the
command line turn keys into words here. CSV and JSON keep the keys, so scripts can read them.
"""

from __future__ import annotations

from reports.risk_labels import RISK_LABELS

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

LABELS: dict[str, dict[str, str]] = {
    # -- sheets -----------------------------------------------------------------------------------
    "sheet.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "sheet.communes": {"vi": "Xã", "en": "Communes"},
    "sheet.items": {"vi": "Danh mục đầu tư", "en": "Investments funded"},
    "sheet.sources_years": {"vi": "Nguồn vốn theo năm", "en": "Sources by year"},
    "sheet.districts": {"vi": "Theo huyện", "en": "By district"},
    "sheet.payments": {"vi": "Chi tiết chi", "en": "Payments"},
    "sheet.baselines": {"vi": "So sánh phương pháp", "en": "Baseline comparison"},
    "sheet.diagnosis": {"vi": "Chẩn đoán", "en": "Diagnosis"},
    "sheet.compare_kpis": {"vi": "So sánh chỉ tiêu", "en": "KPIs compared"},
    "sheet.compare_communes": {"vi": "Xã khác nhau", "en": "Communes that differ"},
    "sheet.compare_sources": {"vi": "Vốn theo nguồn", "en": "Money by source"},
    "sheet.compare_scenarios": {"vi": "Phương án", "en": "Scenarios"},
    "sheet.frontier": {"vi": "Đường biên ngân sách", "en": "Budget frontier"},
    "sheet.triage": {"vi": "Thứ tự ưu tiên", "en": "Triage"},
    "sheet.cost_curve": {"vi": "Chi phí theo số xã", "en": "Cost per count"},
    "sheet.provinces": {"vi": "Theo tỉnh", "en": "By province"},
    "sheet.central_split": {"vi": "Phân bổ vốn trung ương", "en": "Central money split"},
    "col.province": {"vi": "Tỉnh", "en": "Province"},
    "national.formula_share": {"vi": "Theo định mức", "en": "Formula share"},
    "national.best_split": {"vi": "Phân bổ tối ưu", "en": "Best split"},
    "col.gain": {"vi": "Tăng thêm", "en": "Gain"},
    "col.formula_weight": {"vi": "Hệ số định mức", "en": "Formula weight"},
    "col.own_money": {"vi": "Vốn theo kịch bản (triệu đồng)", "en": "Scenario money (million VND)"},
    "col.formula_money": {
        "vi": "Vốn theo định mức (triệu đồng)",
        "en": "Formula share (million VND)",
    },
    "col.formula_communes": {"vi": "Xã đạt chuẩn (định mức)", "en": "At standard (formula)"},
    "col.best_money": {"vi": "Vốn phân bổ tối ưu (triệu đồng)", "en": "Best split (million VND)"},
    "col.best_communes": {"vi": "Xã đạt chuẩn (tối ưu)", "en": "At standard (best split)"},
    "col.split_difference": {"vi": "Chênh lệch số xã", "en": "Difference in communes"},
    # -- titles -----------------------------------------------------------------------------------
    "title.plan": {"vi": "Kế hoạch phân bổ vốn nông thôn mới", "en": "NTM budget allocation plan"},
    "title.compare": {"vi": "So sánh các phương án", "en": "Scenarios compared"},
    "title.dataset": {
        "vi": "Bộ dữ liệu: {name} ({province}), năm cơ sở {year}",
        "en": "Data package: {name} ({province}), base year {year}",
    },
    "title.unit": {"vi": "Đơn vị tiền: triệu đồng", "en": "Money in million VND"},
    "title.kpis": {"vi": "Chỉ tiêu chính", "en": "Key figures"},
    "title.settings": {"vi": "Thiết lập phương án", "en": "Scenario settings"},
    "title.levels": {"vi": "Kết quả giải theo mục tiêu", "en": "Solver result per objective"},
    "title.infeasible": {
        "vi": "Phương án không khả thi: xem trang Chẩn đoán",
        "en": "The scenario is infeasible: see the Diagnosis sheet",
    },
    "total": {"vi": "Tổng cộng", "en": "Total"},
    # -- column headers ---------------------------------------------------------------------------
    "col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col.before": {"vi": "Trước", "en": "Before"},
    "col.after": {"vi": "Sau", "en": "After"},
    "col.change": {"vi": "Thay đổi", "en": "Change"},
    "col.setting": {"vi": "Thiết lập", "en": "Setting"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.objective": {"vi": "Mục tiêu", "en": "Objective"},
    "col.bound": {"vi": "Cận tốt nhất", "en": "Best bound"},
    "col.gap": {"vi": "Sai số (gap)", "en": "Gap"},
    "col.proven_optimal": {"vi": "Chứng minh tối ưu", "en": "Proven optimal"},
    "col.seconds": {"vi": "Thời gian (giây)", "en": "Time (s)"},
    "col.code": {"vi": "Mã", "en": "Code"},
    "col.name": {"vi": "Tên", "en": "Name"},
    "col.district": {"vi": "Huyện", "en": "District"},
    "col.region": {"vi": "Khu vực", "en": "Region"},
    "col.flags": {"vi": "Nhóm", "en": "Groups"},
    "col.counted": {"vi": "Tính vào mục tiêu", "en": "Counted"},
    "col.criteria_before": {"vi": "Tiêu chí đạt (trước)", "en": "Criteria met (before)"},
    "col.criteria_after": {"vi": "Tiêu chí đạt (sau)", "en": "Criteria met (after)"},
    "col.at_standard_before": {"vi": "Đạt chuẩn (trước)", "en": "At standard (before)"},
    "col.at_standard_after": {"vi": "Đạt chuẩn (sau)", "en": "At standard (after)"},
    "col.year_at_standard": {"vi": "Năm đạt chuẩn", "en": "Year at standard"},
    "col.missing_after": {"vi": "Tiêu chí còn thiếu (sau)", "en": "Criteria still missing"},
    "col.money": {"vi": "Vốn (triệu đồng)", "en": "Money (million VND)"},
    "col.kind": {"vi": "Loại", "en": "Kind"},
    "col.category": {"vi": "Lĩnh vực", "en": "Category"},
    "col.communes": {"vi": "Xã hưởng lợi", "en": "Communes served"},
    "col.commune_names": {"vi": "Tên xã", "en": "Commune names"},
    "col.criteria": {"vi": "Tiêu chí", "en": "Criteria"},
    "col.cost": {"vi": "Tổng mức (triệu đồng)", "en": "Cost (million VND)"},
    "col.start_year": {"vi": "Năm khởi công", "en": "Start year"},
    "col.completion_year": {"vi": "Năm hoàn thành", "en": "Completion year"},
    "col.paid": {"vi": "{source}", "en": "{source}"},
    "col.source": {"vi": "Mã nguồn", "en": "Source"},
    "col.source_name": {"vi": "Nguồn vốn", "en": "Funding source"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.budget": {"vi": "Kế hoạch vốn", "en": "Budget"},
    "col.spent": {"vi": "Đã phân bổ", "en": "Allocated"},
    "col.left": {"vi": "Còn lại cuối năm", "en": "Left at year end"},
    "col.carried_in": {"vi": "Chuyển từ năm trước", "en": "Carried in"},
    "col.commune": {"vi": "Mã xã", "en": "Commune"},
    "col.commune_name": {"vi": "Tên xã", "en": "Commune name"},
    "col.criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "col.item": {"vi": "Mã hạng mục", "en": "Item"},
    "col.item_name": {"vi": "Tên hạng mục", "en": "Item name"},
    "col.amount": {"vi": "Số tiền (triệu đồng)", "en": "Amount (million VND)"},
    "col.scenario": {"vi": "Phương án", "en": "Scenario"},
    "col.method": {"vi": "Phương pháp", "en": "Method"},
    "col.status": {"vi": "Trạng thái", "en": "Status"},
    "col.communes_counted": {"vi": "Số xã", "en": "Communes"},
    "col.at_floor_after": {"vi": "Xã đạt ngưỡng (sau)", "en": "At floor (after)"},
    "col.criteria_met_after": {"vi": "Tổng tiêu chí đạt (sau)", "en": "Criteria met (after)"},
    "col.money_total": {"vi": "Tổng vốn (triệu đồng)", "en": "Money (million VND)"},
    "col.items_funded": {"vi": "Số hạng mục", "en": "Items funded"},
    "col.vs_optimizer_at_standard": {
        "vi": "Chênh lệch xã đạt chuẩn so với tối ưu",
        "en": "At standard vs optimizer",
    },
    "col.vs_optimizer_money": {
        "vi": "Chênh lệch vốn so với tối ưu",
        "en": "Money vs optimizer",
    },
    "col.policy": {"vi": "Chính sách", "en": "Policy"},
    "col.message": {"vi": "Nội dung", "en": "Message"},
    "col.file": {"vi": "Tệp", "en": "File"},
    "col.label": {"vi": "Ký hiệu", "en": "Label"},
    "col.solver": {"vi": "Bộ giải", "en": "Solver"},
    "col.total_seconds": {"vi": "Thời gian (giây)", "en": "Time (s)"},
    "col.in_scenario": {"vi": "Đạt chuẩn: {label}", "en": "At standard: {label}"},
    "col.difference": {"vi": "{label} − {base}", "en": "{label} − {base}"},
    "col.budget_total": {
        "vi": "Tổng kế hoạch vốn (triệu đồng)",
        "en": "Total budget (million VND)",
    },
    "col.budget_scale": {"vi": "Hệ số ngân sách", "en": "Budget scale"},
    "col.at_standard": {"vi": "Xã đạt chuẩn", "en": "Communes at standard"},
    "col.at_floor": {"vi": "Xã đạt ngưỡng", "en": "Communes at floor"},
    "col.marginal_cost": {
        "vi": "Chi phí biên/xã (triệu đồng)",
        "en": "Marginal cost per commune (million VND)",
    },
    "col.rank": {"vi": "Thứ tự", "en": "Rank"},
    "col.phasing": {"vi": "Cách bố trí vốn", "en": "Phasing"},
    "col.scale": {"vi": "Hệ số ngân sách", "en": "Budget scale"},
    "col.communes_at_standard": {"vi": "Xã đạt chuẩn", "en": "Communes at standard"},
    "col.communes_at_floor": {"vi": "Xã đạt ngưỡng", "en": "Communes at floor"},
    "col.money_spent": {"vi": "Vốn sử dụng (triệu đồng)", "en": "Money spent (million VND)"},
    "col.least_money": {"vi": "Vốn tối thiểu (triệu đồng)", "en": "Least money (million VND)"},
    # -- KPIs -------------------------------------------------------------------------------------
    "kpi.communes": {"vi": "Số xã tính vào mục tiêu", "en": "Communes counted"},
    "kpi.at_standard": {"vi": "Xã đạt chuẩn nông thôn mới", "en": "Communes at NTM standard"},
    "kpi.at_floor": {"vi": "Xã đạt từ {floor} tiêu chí", "en": "Communes with {floor}+ criteria"},
    "kpi.below_floor": {"vi": "Xã dưới {floor} tiêu chí", "en": "Communes below {floor} criteria"},
    "kpi.mean_criteria": {"vi": "Bình quân tiêu chí đạt/xã", "en": "Mean criteria met"},
    "kpi.criteria_met": {"vi": "Tổng số tiêu chí đạt", "en": "Criteria met, all communes"},
    "kpi.money_total": {
        "vi": "Tổng vốn phân bổ (triệu đồng)",
        "en": "Money allocated (million VND)",
    },
    "kpi.budget_total": {"vi": "Tổng kế hoạch vốn (triệu đồng)", "en": "Budget (million VND)"},
    "kpi.items_funded": {"vi": "Số hạng mục được bố trí vốn", "en": "Items funded"},
    # -- settings ---------------------------------------------------------------------------------
    "setting.scenario": {"vi": "Phương án", "en": "Scenario"},
    "setting.description": {"vi": "Mô tả", "en": "Description"},
    "setting.method": {"vi": "Phương pháp", "en": "Method"},
    "setting.dataset": {"vi": "Bộ dữ liệu", "en": "Data package"},
    "setting.horizon": {"vi": "Giai đoạn", "en": "Horizon"},
    "setting.phasing": {"vi": "Cách bố trí vốn", "en": "Phasing"},
    "setting.objectives": {"vi": "Thứ tự mục tiêu", "en": "Objectives in order"},
    "setting.criteria_floor": {"vi": "Ngưỡng tiêu chí tối thiểu", "en": "Criteria floor"},
    "setting.budget_scale": {"vi": "Hệ số ngân sách", "en": "Budget scale"},
    "setting.scale_by_source": {"vi": "Hệ số theo nguồn", "en": "Scale by source"},
    "setting.overrides": {"vi": "Ngân sách điều chỉnh", "en": "Budget overrides"},
    "setting.carry_over": {"vi": "Chuyển nguồn sang năm sau", "en": "Unspent money carries over"},
    "setting.policies": {"vi": "Ràng buộc chính sách", "en": "Policies"},
    "setting.targets": {"vi": "Chỉ tiêu bắt buộc", "en": "Hard targets"},
    "setting.solver": {"vi": "Bộ giải", "en": "Solver"},
    "setting.time_limit": {
        "vi": "Giới hạn thời gian/mục tiêu (giây)",
        "en": "Time limit per level (s)",
    },
    "setting.relative_gap": {"vi": "Sai số chấp nhận", "en": "Accepted gap"},
    "setting.status": {"vi": "Trạng thái", "en": "Status"},
    "setting.message": {"vi": "Ghi chú của bộ giải", "en": "Solver note"},
    "setting.total_seconds": {"vi": "Tổng thời gian (giây)", "en": "Total time (s)"},
    # -- values -----------------------------------------------------------------------------------
    "value.yes": {"vi": "có", "en": "yes"},
    "value.no": {"vi": "không", "en": "no"},
    "value.none": {"vi": "không có", "en": "none"},
    "value.pooled": {"vi": "gộp cả giai đoạn", "en": "pooled over the horizon"},
    "value.annual": {"vi": "theo từng năm", "en": "year by year"},
    "status.optimal": {"vi": "tối ưu", "en": "optimal"},
    "status.feasible": {
        "vi": "khả thi (dừng do giới hạn thời gian)",
        "en": "feasible (time limit)",
    },
    "status.infeasible": {"vi": "không khả thi", "en": "infeasible"},
    "status.heuristic": {"vi": "quy tắc (không tối ưu hóa)", "en": "rule (not optimised)"},
    "status.no_plan": {"vi": "không tìm được phương án", "en": "no plan found"},
    "objective.communes_at_standard": {
        "vi": "Nhiều xã đạt chuẩn nhất",
        "en": "Most communes at standard",
    },
    "objective.communes_at_floor": {
        "vi": "Nhiều xã đạt ngưỡng nhất",
        "en": "Most communes at floor",
    },
    "objective.criteria_met": {"vi": "Nhiều tiêu chí đạt nhất", "en": "Most criteria met"},
    "objective.earliest_achievement": {"vi": "Đạt chuẩn sớm nhất", "en": "Earliest achievement"},
    "objective.least_cost": {"vi": "Ít vốn nhất", "en": "Least money"},
    "objective.stability": {"vi": "Ít thay đổi kế hoạch nhất", "en": "Fewest plan changes"},
    "method.optimizer": {"vi": "Tối ưu hóa", "en": "Optimizer"},
    "method.baseline:formula": {"vi": "Phân bổ theo định mức", "en": "Formula allocation"},
    "method.baseline:closest_first": {"vi": "Xã gần chuẩn trước", "en": "Closest first"},
    "method.baseline:cheapest_first": {"vi": "Hạng mục rẻ trước", "en": "Cheapest first"},
    "kind.infrastructure": {"vi": "Hạ tầng", "en": "Infrastructure"},
    "kind.livelihood": {"vi": "Sinh kế", "en": "Livelihood"},
    "kind.conflicting": {"vi": "Chính sách xung đột", "en": "Conflicting policy"},
    "kind.relaxation": {"vi": "Cách nới lỏng", "en": "Relaxation"},
    "kind.extra_budget": {"vi": "Vốn cần thêm", "en": "Extra money needed"},
    "flag.extremely_difficult": {"vi": "ĐBKK", "en": "Extremely difficult"},
    "flag.border": {"vi": "Biên giới", "en": "Border"},
    "flag.atk": {"vi": "ATK", "en": "ATK"},
    # -- charts -----------------------------------------------------------------------------------
    "chart.frontier_title": {
        "vi": "Số xã đạt chuẩn theo tổng vốn — {scenario}",
        "en": "Communes at standard against the budget — {scenario}",
    },
    "chart.budget_total": {"vi": "Tổng vốn (tỷ đồng)", "en": "Total budget (billion VND)"},
    "chart.at_standard": {"vi": "Số xã đạt chuẩn", "en": "Communes at standard"},
    "chart.district_title": {
        "vi": "Vốn phân bổ theo huyện — {scenario}",
        "en": "Money by district — {scenario}",
    },
    "chart.money": {"vi": "Vốn (tỷ đồng)", "en": "Money (billion VND)"},
    # -- command line -----------------------------------------------------------------------------
    "cli.header": {"vi": "{scenario} — {method}", "en": "{scenario} — {method}"},
    "cli.status": {"vi": "Trạng thái: {status}", "en": "Status: {status}"},
    "cli.at_standard": {
        "vi": "Xã đạt chuẩn: {before} → {after} / {communes} xã",
        "en": "Communes at standard: {before} → {after} of {communes}",
    },
    "cli.at_floor": {
        "vi": "Xã đạt từ {floor} tiêu chí: {before} → {after}",
        "en": "Communes with {floor}+ criteria: {before} → {after}",
    },
    "cli.mean": {
        "vi": "Bình quân tiêu chí đạt/xã: {before} → {after}",
        "en": "Mean criteria met: {before} → {after}",
    },
    "cli.money": {
        "vi": "Vốn phân bổ: {money} trên kế hoạch {budget} ({items} hạng mục)",
        "en": "Money allocated: {money} of a budget of {budget} ({items} items)",
    },
    "cli.by_source": {"vi": "  theo nguồn:", "en": "  by source:"},
    "cli.by_year": {"vi": "  theo năm:", "en": "  by year:"},
    "cli.by_period": {"vi": "  cả giai đoạn:", "en": "  over the period:"},
    "cli.level": {
        "vi": "  mục tiêu {objective}: {value} (gap {gap}, {seconds} giây)",
        "en": "  level {objective}: {value} (gap {gap}, {seconds} s)",
    },
    "cli.baselines": {"vi": "So với các quy tắc phân bổ:", "en": "Against the baseline rules:"},
    "cli.baseline": {
        "vi": "  {method}: {at_standard} xã đạt chuẩn, {money}",
        "en": "  {method}: {at_standard} communes at standard, {money}",
    },
    "cli.time": {"vi": "Thời gian: {seconds} giây", "en": "Time: {seconds} s"},
    "cli.written": {"vi": "Đã ghi: {path}", "en": "Written: {path}"},
    "cli.differ": {
        "vi": "Xã đạt chuẩn ở phương án này nhưng không ở phương án kia:",
        "en": "Communes at standard in one scenario but not the other:",
    },
    "cli.no_difference": {
        "vi": "Các phương án đưa cùng một nhóm xã đạt chuẩn.",
        "en": "The scenarios bring the same communes to standard.",
    },
    # -- history store (ntm history, show, compare --runs, rerun, scenario) -----------------------
    "approval.draft": {"vi": "bản nháp", "en": "draft"},
    "approval.submitted": {"vi": "đã trình", "en": "submitted"},
    "approval.approved": {"vi": "đã duyệt", "en": "approved"},
    "hist.recorded": {
        "vi": "Đã lưu vào lịch sử: lần chạy {run} — {scenario} v{version}",
        "en": "Recorded in the history: run {run} — {scenario} v{version}",
    },
    "hist.new_version": {"vi": " (phiên bản mới)", "en": " (new version)"},
    "hist.changes": {"vi": "  thay đổi: {changes}", "en": "  changes: {changes}"},
    "hist.empty": {
        "vi": "Chưa có lần chạy nào được lưu trong {database}.",
        "en": "No runs recorded in {database}.",
    },
    "hist.no_scenarios": {
        "vi": "Chưa có phương án nào được lưu trong {database}.",
        "en": "No scenarios saved in {database}.",
    },
    "hist.more": {
        "vi": "(chỉ hiện {limit} lần chạy gần nhất; dùng --limit để xem thêm)",
        "en": "(the {limit} most recent runs; --limit shows more)",
    },
    "hist.col.run": {"vi": "Lần chạy", "en": "Run"},
    "hist.col.when": {"vi": "Thời điểm", "en": "When"},
    "hist.col.scenario": {"vi": "Phương án", "en": "Scenario"},
    "hist.col.approval": {"vi": "Phê duyệt", "en": "Approval"},
    "hist.col.dataset": {"vi": "Bộ dữ liệu", "en": "Data package"},
    "hist.col.method": {"vi": "Phương pháp", "en": "Method"},
    "hist.col.status": {"vi": "Trạng thái", "en": "Status"},
    "hist.col.at_standard": {"vi": "Xã đạt chuẩn", "en": "At standard"},
    "hist.col.money": {"vi": "Vốn phân bổ", "en": "Money"},
    "hist.col.user": {"vi": "Người chạy", "en": "Run by"},
    "hist.col.version": {"vi": "Phiên bản", "en": "Version"},
    "hist.col.saved": {"vi": "Lưu lúc", "en": "Saved"},
    "hist.col.saved_by": {"vi": "Người lưu", "en": "Saved by"},
    "hist.col.runs": {"vi": "Số lần chạy", "en": "Runs"},
    "hist.col.note": {"vi": "Ghi chú", "en": "Note"},
    "hist.col.versions": {"vi": "Số phiên bản", "en": "Versions"},
    "hist.col.latest": {"vi": "Mới nhất", "en": "Latest"},
    "hist.col.approved": {"vi": "Đã duyệt", "en": "Approved"},
    "hist.col.updated": {"vi": "Cập nhật", "en": "Updated"},
    "hist.run": {"vi": "lần chạy {run}", "en": "run {run}"},
    "hist.rerun_of": {"vi": "chạy lại lần {run}", "en": "re-run of run {run}"},
    "hist.run_line": {
        "vi": "Lần chạy {run}: {scenario} v{version} ({state}) — {method}, {status}; "
        "dữ liệu {dataset} {hash}; {when}, {user}",
        "en": "Run {run}: {scenario} v{version} ({state}) — {method}, {status}; "
        "data {dataset} {hash}; {when} by {user}",
    },
    "hist.other_data": {
        "vi": "Lưu ý: hai lần chạy dùng hai bộ dữ liệu khác nhau.",
        "en": "Note: the two runs used different data packages.",
    },
    "hist.same_data": {
        "vi": "Bộ dữ liệu mới giống hệt bộ dữ liệu đã lưu.",
        "en": "The new data package is the same as the stored one.",
    },
    "hist.reproduced": {
        "vi": "Tái lập chính xác: lần chạy {run} có cùng hạng mục, năm khởi công và khoản chi "
        "như lần chạy {original}.",
        "en": "Reproduced exactly: run {run} has the same items, start years and payments as "
        "run {original}.",
    },
    "hist.not_reproduced": {
        "vi": "KHÔNG tái lập được: lần chạy {run} khác lần chạy {original} (chi tiết dưới đây).",
        "en": "NOT reproduced: run {run} decides differently from run {original} (below).",
    },
    "hist.environment": {
        "vi": "  môi trường đã đổi: {change}",
        "en": "  environment changed: {change}",
    },
    "hist.show.title": {
        "vi": "Lần chạy {run} — {scenario} v{version} ({state})",
        "en": "Run {run} — {scenario} v{version} ({state})",
    },
    "hist.show.version": {
        "vi": "  Phiên bản: lưu bởi {user} lúc {when}; {changes}",
        "en": "  Version: saved by {user} at {when}; {changes}",
    },
    "hist.show.version_note": {"vi": "  Ghi chú phiên bản: {note}", "en": "  Version note: {note}"},
    "hist.show.approval": {
        "vi": "  Phê duyệt: {state} ({user}, {when})",
        "en": "  Approval: {state} ({user}, {when})",
    },
    "hist.show.dataset": {
        "vi": "  Bộ dữ liệu: {name} ({province}, năm cơ sở {year}), mã {hash}, {communes} xã, "
        "{items} hạng mục",
        "en": "  Data package: {name} ({province}, base year {year}), hash {hash}, "
        "{communes} communes, {items} investments",
    },
    "hist.show.method": {
        "vi": "  Phương pháp: {method}; bộ giải {solver}, PuLP {pulp}",
        "en": "  Method: {method}; solver {solver}, PuLP {pulp}",
    },
    "hist.show.when": {
        "vi": "  Người chạy: {user}; từ {started} đến {finished}",
        "en": "  Run by {user}: {started} → {finished}",
    },
    "hist.show.timings": {
        "vi": "  Thời gian (giây): chuẩn bị {prepare}, lập mô hình {build}, giải {solve}, "
        "tổng {total}",
        "en": "  Timings (s): prepare {prepare}, build {build}, solve {solve}, total {total}",
    },
    "hist.show.note": {"vi": "  Ghi chú: {note}", "en": "  Note: {note}"},
    "hist.moved": {
        "vi": "{scenario} v{version}: {before} → {after} ({user})",
        "en": "{scenario} v{version}: {before} → {after} ({user})",
    },
    "hist.versions": {
        "vi": "{scenario}: {count} phiên bản",
        "en": "{scenario}: {count} version(s)",
    },
    "hist.changes_by_version": {"vi": "Thay đổi:", "en": "Changes:"},
    "hist.approvals": {"vi": "Lịch sử phê duyệt:", "en": "Approval history:"},
    "hist.saved": {
        "vi": "Đã lưu {scenario} v{version} (bản nháp)",
        "en": "Saved {scenario} v{version} (draft)",
    },
    "hist.unchanged": {
        "vi": "Không có thay đổi: {scenario} v{version} là phiên bản mới nhất",
        "en": "Unchanged: {scenario} v{version} is the latest version",
    },
    # -- options (near-optimal alternatives) and the one-page brief --------------------------------
    "sheet.options": {"vi": "Phương án", "en": "Options"},
    "sheet.options_communes": {"vi": "Xã khác nhau", "en": "Communes that differ"},
    "sheet.options_money": {"vi": "Vốn theo nhóm", "en": "Money by group"},
    "option.optimum": {"vi": "Tối ưu", "en": "Optimum"},
    "option.numbered": {"vi": "Phương án {n}", "en": "Option {n}"},
    "ask.optimum": {"vi": "phương án tối ưu", "en": "the optimum"},
    "ask.diverse": {"vi": "khác nhiều nhất", "en": "most different"},
    "ask.border": {"vi": "ưu tiên xã biên giới", "en": "leans to border communes"},
    "ask.extremely_difficult": {
        "vi": "ưu tiên xã đặc biệt khó khăn",
        "en": "leans to extremely difficult communes",
    },
    "ask.poorest": {"vi": "ưu tiên vùng nghèo nhất", "en": "leans to the poorest areas"},
    "ask.livelihood": {"vi": "ưu tiên sinh kế hơn hạ tầng", "en": "livelihood over infrastructure"},
    "ask.districts": {
        "vi": "ít huyện không có xã mới đạt chuẩn nhất",
        "en": "fewest districts without a new commune at standard",
    },
    "col.option": {"vi": "Phương án", "en": "Option"},
    "col.ask": {"vi": "Định hướng", "en": "Leaning"},
    "col.gained_vs_optimum": {"vi": "Xã đạt chuẩn mới so với tối ưu", "en": "Gained vs optimum"},
    "col.lost_vs_optimum": {"vi": "Xã không còn so với tối ưu", "en": "Lost vs optimum"},
    "col.trade": {"vi": "Đánh đổi", "en": "What it trades"},
    "col.group": {"vi": "Nhóm", "en": "Group"},
    "group.district": {"vi": "Huyện", "en": "District"},
    "group.region": {"vi": "Khu vực", "en": "Region"},
    "group.region_value": {"vi": "Khu vực {region}", "en": "Region {region}"},
    "trade.same": {
        "vi": "Cùng các xã đạt chuẩn như {reference}.",
        "en": "The same communes at standard as {reference}.",
    },
    "trade.swap": {
        "vi": "Đưa {gained} xã khác đạt chuẩn ({gained_names}) thay cho {lost} xã của {reference} "
        "({lost_names}).",
        "en": "Brings {gained} other commune(s) to standard ({gained_names}) instead of {lost} "
        "of those in {reference} ({lost_names}).",
    },
    "trade.count": {
        "vi": "Số xã đạt chuẩn: {value} ({delta} so với {reference}).",
        "en": "Communes at standard: {value} ({delta} against {reference}).",
    },
    "trade.lost_only": {
        "vi": "{lost} xã của {reference} không đạt chuẩn ({lost_names}), không có xã nào thay.",
        "en": "{lost} commune(s) of {reference} not at standard ({lost_names}), none in their "
        "place.",
    },
    "trade.gained_only": {
        "vi": "Đưa thêm {gained} xã đạt chuẩn ({gained_names}) ngoài các xã của {reference}.",
        "en": "Brings {gained} more commune(s) to standard ({gained_names}) besides those in "
        "{reference}.",
    },
    "trade.reference": {"vi": "phương án tối ưu", "en": "the optimum"},
    "trade.floor": {
        "vi": "Xã đạt ngưỡng: {value} ({delta}).",
        "en": "Communes at the floor: {value} ({delta}).",
    },
    "trade.money": {
        "vi": "Vốn {value} tỷ đồng ({delta} tỷ).",
        "en": "Money {value} billion VND ({delta} billion).",
    },
    "trade.group_moves": {
        "vi": "{more} nhận thêm {gain} tỷ; {less} giảm {loss} tỷ.",
        "en": "{more} gets {gain} billion more; {less} {loss} billion less.",
    },
    "trade.flags": {
        "vi": "Xã biên giới đạt chuẩn: {border}; xã ĐBKK đạt chuẩn: {difficult}.",
        "en": "Border communes at standard: {border}; extremely difficult: {difficult}.",
    },
    "trade.more": {"vi": "{names} và {n} xã khác", "en": "{names} and {n} more"},
    "brief.title": {
        "vi": "Các phương án phân bổ vốn nông thôn mới",
        "en": "Options for the NTM budget allocation",
    },
    "brief.compare_title": {
        "vi": "So sánh các phương án phân bổ vốn nông thôn mới",
        "en": "NTM budget allocation: scenarios compared",
    },
    "brief.date": {"vi": "Ngày {date}", "en": "Date {date}"},
    "brief.scenario": {
        "vi": "Kịch bản: {scenario} — {version}",
        "en": "Scenario: {scenario} — {version}",
    },
    "brief.version": {"vi": "phiên bản {version}, {state}", "en": "version {version}, {state}"},
    "brief.not_recorded": {
        "vi": "phiên bản: chưa lưu trong lịch sử",
        "en": "version: not recorded in the history",
    },
    "brief.dataset": {"vi": "Bộ dữ liệu: {name}", "en": "Data package: {name}"},
    "brief.tolerance": {
        "vi": "Mỗi phương án được chứng minh không kém phương án tối ưu quá {tolerance} về "
        "mục tiêu «{objective}».",
        "en": "Each option is proven within {tolerance} of the optimum on “{objective}”.",
    },
    "brief.key_figures": {"vi": "Chỉ tiêu chính", "en": "Key figures"},
    "brief.trades": {"vi": "Mỗi phương án đánh đổi gì", "en": "What each option trades"},
    "brief.communes": {
        "vi": "Xã đạt chuẩn khác nhau giữa các phương án",
        "en": "Communes at standard in some options but not others",
    },
    "brief.more_communes": {
        "vi": "… và {n} xã khác (xem tệp Excel)",
        "en": "… and {n} more (see the workbook)",
    },
    "brief.chart_title": {
        "vi": "Vốn theo {group} (tỷ đồng)",
        "en": "Money by {group} (billion VND)",
    },
    "brief.yes": {"vi": "đạt", "en": "yes"},
    "brief.gained": {
        "vi": "Xã đạt chuẩn không có ở {reference}",
        "en": "At standard, not in {reference}",
    },
    "brief.lost": {
        "vi": "Xã của {reference} không đạt chuẩn",
        "en": "In {reference}, not at standard",
    },
    "brief.stopped": {
        "vi": "Chỉ có {found} phương án thay thế (yêu cầu {requested}): không còn phương án nào "
        "khác trong phạm vi dung sai.",
        "en": "Only {found} alternative(s) of {requested} requested: no other plan within the "
        "tolerance differs.",
    },
    "brief.footer": {
        "vi": "Số liệu tổng hợp và phân bổ là giả định của bộ dữ liệu; tiền: tỷ đồng.",
        "en": "Figures come from the data package's assumptions; money in billion VND.",
    },
    # -- where a report came from (provenance) --------------------------------------------------
    "title.origin": {"vi": "Nguồn gốc báo cáo", "en": "Where this report comes from"},
    "origin.scenario": {"vi": "Phương án (phiên bản)", "en": "Scenario (version)"},
    "origin.approval": {"vi": "Trạng thái phê duyệt", "en": "Approval state"},
    "origin.run": {"vi": "Lần chạy số", "en": "Run id"},
    "origin.dataset": {"vi": "Bộ dữ liệu (mã băm)", "en": "Data package (hash)"},
    "origin.solver": {"vi": "Bộ giải và phiên bản", "en": "Solver and versions"},
    "origin.run_at": {"vi": "Thời điểm chạy", "en": "Run at"},
    "origin.written": {"vi": "Ngày lập", "en": "Written on"},
    "origin.user": {"vi": "Người lập", "en": "Written by"},
    "origin.unrecorded": {
        "vi": "Phương án này chưa được lưu vào lịch sử: chưa có phiên bản, phê duyệt hay số lần "
        "chạy.",
        "en": "This plan was not recorded in the history: it has no version, approval or run id.",
    },
    "solver.highs": {"vi": "HiGHS", "en": "HiGHS"},
    "solver.cbc": {"vi": "CBC", "en": "CBC"},
    "sheet.origin": {"vi": "Nguồn gốc", "en": "Origin"},
    "sheet.compare_districts": {"vi": "Vốn theo huyện", "en": "Money by district"},
    "sheet.compare_years": {"vi": "Vốn theo năm", "en": "Money by year"},
    "col.standard_change": {"vi": "Chuẩn NTM so với phương án đầu", "en": "Standard vs the first"},
    "change.gains": {"vi": "đạt chuẩn thêm", "en": "gains the standard"},
    "change.loses": {"vi": "mất chuẩn", "en": "loses the standard"},
    "value.not_recorded": {"vi": "chưa lưu", "en": "not recorded"},
    "col.period": {"vi": "Giai đoạn", "en": "Period"},
    # -- investment categories (codes of the data; an unknown one is shown as written) -----------
    "category.culture": {"vi": "Văn hóa", "en": "Culture"},
    "category.governance": {"vi": "Quản lý, hệ thống chính trị", "en": "Governance"},
    "category.health": {"vi": "Y tế", "en": "Health"},
    "category.housing": {"vi": "Nhà ở", "en": "Housing"},
    "category.ict": {"vi": "Thông tin và truyền thông", "en": "Information and communications"},
    "category.irrigation": {"vi": "Thủy lợi", "en": "Irrigation"},
    "category.livestock": {"vi": "Chăn nuôi", "en": "Livestock"},
    "category.market": {"vi": "Chợ, thương mại", "en": "Market"},
    "category.planning": {"vi": "Quy hoạch", "en": "Planning"},
    "category.power": {"vi": "Điện", "en": "Power"},
    "category.road": {"vi": "Giao thông", "en": "Roads"},
    "category.sanitation": {"vi": "Môi trường, vệ sinh", "en": "Sanitation"},
    "category.school": {"vi": "Trường học", "en": "Schools"},
    "category.training": {"vi": "Đào tạo nghề", "en": "Vocational training"},
    "category.value_chain": {"vi": "Chuỗi giá trị", "en": "Value chains"},
    "category.water": {"vi": "Nước sạch", "en": "Clean water"},
    # -- ntm replan (optimizer/cli_replan.py) --
    "replan.counts": {
        "vi": "So với lượt chạy {run}: {changes} thay đổi — giữ {kept}, dời năm {moved}, bỏ "
        "{dropped}, thêm {added}; đã hoàn thành {completed}",
        "en": "Against run {run}: {changes} change(s) — {kept} kept, {moved} moved, {dropped} "
        "dropped, {added} added; {completed} completed",
    },
    "replan.change.kept": {"vi": "giữ", "en": "kept"},
    "replan.change.moved": {"vi": "dời năm", "en": "moved"},
    "replan.change.dropped": {"vi": "bỏ", "en": "dropped"},
    "replan.change.added": {"vi": "thêm", "en": "added"},
    "replan.change.completed": {"vi": "đã hoàn thành", "en": "completed"},
    "replan.col.item": {"vi": "Hạng mục", "en": "Item"},
    "replan.col.change": {"vi": "Thay đổi", "en": "Change"},
    "replan.col.planned": {"vi": "Theo kế hoạch", "en": "Planned"},
    "replan.col.new": {"vi": "Kế hoạch mới", "en": "New plan"},
    "replan.col.reason": {"vi": "Lý do", "en": "Reason"},
    "replan.col.commune": {"vi": "Xã", "en": "Commune"},
    "replan.more": {"vi": "… và {count} thay đổi khác", "en": "… and {count} more"},
    "replan.communes": {
        "vi": "{count} xã đổi năm dự kiến đạt chuẩn:",
        "en": "{count} commune(s) change the year they are expected to reach the standard:",
    },
}


def label(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for ``key`` in ``lang`` (Vietnamese if missing), with ``{placeholders}`` filled.

    An unknown key is returned as it is, so a new column still gets a (plain) header.
    """
    entry = LABELS.get(key)
    if entry is None:
        return key.split(".", 1)[-1] if not values else key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def yes_no(value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    return label("value.yes" if value else "value.no", lang)


# -- risk report (issue 20): its own block, kept in risk_labels.py -------------------------------
LABELS.update(RISK_LABELS)
