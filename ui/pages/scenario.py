"""Scenario page (Kịch bản): start from a shipped, saved or the current scenario, edit it, run it.

Every input sits in one form, so a solve runs once, on submit. The form's widgets carry a version in
their keys: loading another scenario bumps it and the widgets start again from that scenario.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from models.commune import UnitType
from models.dataset import Dataset
from models.scenario import CommuneGroup, Objective, Scenario, default_floor
from models.scenario_check import Severity, check_scenario
from models.scenario_io import ScenarioFileError, load_scenario, save_scenario
from store.accounts import Action
from ui import auth, runs, scenario_names
from ui.format import MILLION_PER_BILLION, literal, money
from ui.i18n import (
    current_language,
    objective_name,
    policy_group_name,
    source_name,
    t,
)
from ui.plan_view import kpi_metrics
from ui.problem_text import problem_line
from ui.scenario_form import (
    FACTOR_COLUMN,
    NAME_COLUMN,
    Disbursement,
    FormValues,
    budget_problems,
    budget_table,
    budgets_from_table,
    build_scenario,
    co_financing_table,
    disbursement_table,
    min_share_table,
    must_reach_communes,
    must_reach_districts,
    year_columns,
)
from ui.state import data_path, dataset_or_stop

VERSION_KEY = "sc.version"
# Pixels of the budget editor's columns, chosen so that the whole table (source, factor and five
# years) fits the page at Chromium's default width (1280 px, sidebar open: some 818 px of table):
# a wider table hid the last years behind a horizontal scroll. The longest source names are cut
# short; a year header ("2025") and an amount (1.234,5) are never cut.
SOURCE_WIDTH = 320
FACTOR_WIDTH = 84
START_KEY = "sc.start"
CURRENT = "current"
DEFAULT = "default"
FILE_PREFIX = "file:"
# A message for the next run of the page (after a callback loaded a scenario).
NOTICE_KEY = "sc.notice"
# The id of the scenario file last read from the uploader (each upload is read once).
UPLOADED_KEY = "sc.uploaded"
RESULT_KEY = "sc.last_run"
VERIFY_KEY = "sc.verify"  # widget state: the audit switch (every level again, other solver)
# Bumped when the budgets change, so that the table is shown again worked out from them.
BUDGET_VERSION_KEY = "sc.budget_version"
# What the last budget change could not take (shown until a change that can).
BUDGET_PROBLEMS_KEY = "sc.budget_problems"
# Pixels of a year column of the budget editor (the header "2025" and 1.234,5 in full).
YEAR_WIDTH = 80
# A scenario whose save waits for the user's yes (it would replace another file).
PENDING_SAVE_KEY = "sc.pending_save"


def key(name: str) -> str:
    """A form widget's key: ``sc.<name>.<version>`` (a new version starts the form afresh)."""
    return f"sc.{name}.{st.session_state.get(VERSION_KEY, 0)}"


def _load(scenario: Scenario, notice: tuple[str, object] | None) -> None:
    """Make ``scenario`` current and start the form afresh from it."""
    runs.set_current_scenario(scenario)
    st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1
    st.session_state.pop(BUDGET_PROBLEMS_KEY, None)
    if notice is not None:
        _add_notice(notice)


def _add_notice(notice: tuple[str, object]) -> None:
    """A message for the next run of the page (after the ones already waiting)."""
    st.session_state.setdefault(NOTICE_KEY, []).append(notice)


def _on_start_chosen(dataset: Dataset) -> None:
    """Load the scenario picked in the selectbox, then show "current" again."""
    choice = st.session_state[START_KEY]
    if choice == CURRENT:
        return
    if choice == DEFAULT:
        scenario = runs.default_scenario(dataset, data_path())
    else:
        try:
            scenario = runs.read_scenario(Path(choice.removeprefix(FILE_PREFIX)))
        except ScenarioFileError as error:
            _add_notice(("error", (Path(error.path).name, error.problems)))
            st.session_state[START_KEY] = CURRENT
            return
    _load(scenario, ("loaded", scenario))
    st.session_state[START_KEY] = CURRENT


def render() -> None:
    lang = current_language()
    dataset = dataset_or_stop()
    data = data_path()
    st.title(t("scenario.title"))
    st.caption(t("scenario.intro"))

    current = runs.current_scenario(dataset)
    _start_picker(dataset, current)
    _notice()
    _pending_save()
    _package_warnings(dataset, current)
    _reference_problems(dataset, current, Severity.WARNING)

    values = _form(dataset, current, lang)
    if values is not None:
        submitted, form_values = values
        scenario, problems = build_scenario(current, form_values, lang)
        if scenario is not None:  # the amounts the factors make, each within the cap
            names = {x.code: source_name(x, lang) for x in dataset.sources}
            table = budget_table(dataset, scenario, names)
            problems = budget_problems(table, scenario.budgets.scale * 100, lang)
            scenario = None if problems else scenario
        if problems:
            st.error(t("form.problems"))
            st.markdown("\n".join(f"- {p}" for p in problems))
        elif scenario is not None and not _reference_problems(dataset, scenario, Severity.ERROR):
            scenario = runs.for_package(scenario, data)
            scenario, renamed = _own_name(scenario, current, submitted)
            if submitted == "save":
                _save(scenario, renamed)
            else:
                run = runs.add_run(scenario, verify=bool(st.session_state.get(VERIFY_KEY)))
                runs.select_run(run.label)
                st.session_state[RESULT_KEY] = run.label
                _load(scenario, renamed)
            st.rerun()
    _download(current)
    # below the run button, where the user clicked: the levels appear there as they are settled
    _last_result()


# -- an edit keeps its own name; a save does not replace another file unasked ------------------
def _own_name(
    scenario: Scenario, came_from: Scenario, submitted: str
) -> tuple[Scenario, tuple[str, object] | None]:
    """The scenario under a name of its own: when it kept the name of the scenario it came from
    but now asks another question, and that name belongs to a file (to a shipped file when
    saving) or to a run of this session, it is named "… (bản sửa)"; with the notice saying so."""
    if scenario.name != came_from.name:
        return scenario, None  # a name the user typed is theirs to keep
    files = runs.readable_scenarios()
    known = [x for p, x in files.items() if submitted == "run" or not runs.is_user_file(p)]
    if submitted == "run":
        known += [r.scenario_model() for r in runs.runs().values()]
    if not scenario_names.taken_by_another(scenario, known):
        return scenario, None
    taken = {x.name for x in files.values()} | {
        r.scenario_model().name for r in runs.runs().values()
    }
    name = scenario_names.edited_name(scenario.name, taken, t("scenario.edited_suffix"))
    return scenario.model_copy(update={"name": name}), ("renamed", (scenario.name, name))


def _save(scenario: Scenario, renamed: tuple[str, object] | None) -> None:
    """Save into the user's folder, or ask first when that would replace another scenario."""
    target = runs.user_scenario_path(scenario)
    if target.exists():
        try:
            other = runs.read_scenario(target)
        except ScenarioFileError:
            other = None
        if (
            other is None
            or (other.name, other.description) != (scenario.name, scenario.description)
            or not scenario_names.same_question(other, scenario)
        ):
            st.session_state[PENDING_SAVE_KEY] = scenario.model_dump_json()
            _load(scenario, renamed)
            return
    path = runs.save_user_scenario(scenario)
    _load(scenario, renamed)
    _add_notice(("saved", (scenario.name, path.name)))


def _pending_save() -> None:
    """The question asked when a save would replace another file: replace it, or keep it."""
    pending = st.session_state.get(PENDING_SAVE_KEY)
    if pending is None:
        return
    scenario = Scenario.model_validate_json(pending)
    target = runs.user_scenario_path(scenario)
    try:
        other = runs.read_scenario(target).name if target.exists() else scenario.name
    except ScenarioFileError:
        other = target.name
    with st.container(border=True):
        st.warning(
            t(
                "scenario.overwrite_ask",
                file=f"`{target.name}`",
                other=literal(other),
                name=literal(scenario.name),
            )
        )
        yes, no, _ = st.columns([1, 1, 3])
        if yes.button(t("scenario.overwrite_yes"), key="sc.overwrite_yes", type="primary"):
            st.session_state.pop(PENDING_SAVE_KEY, None)
            path = runs.save_user_scenario(scenario)
            _add_notice(("saved", (scenario.name, path.name)))
            st.rerun()
        if no.button(t("scenario.overwrite_no"), key="sc.overwrite_no"):
            st.session_state.pop(PENDING_SAVE_KEY, None)
            _add_notice(("kept", target.name))
            st.rerun()


# -- above the form ------------------------------------------------------------------------------
def _start_picker(dataset: Dataset, current: Scenario) -> None:
    data = data_path()
    files = runs.scenario_files()
    labels = {CURRENT: t("scenario.start_current", name=current.name), DEFAULT: ""}
    labels[DEFAULT] = t("scenario.start_default", name=dataset.info.name)
    for path in files:
        try:
            scenario = runs.read_scenario(path)
        except ScenarioFileError:
            labels[FILE_PREFIX + str(path)] = t("scenario.start_broken", file=path.name)
            continue
        where = t("scenario.saved_tag") if runs.is_user_file(path) else t("scenario.shipped_tag")
        other = "" if runs.same_package(scenario, data) else t("scenario.other_package_tag")
        labels[FILE_PREFIX + str(path)] = f"{scenario.name} ({where}){other}"
    if st.session_state.get(START_KEY) not in labels:
        st.session_state[START_KEY] = CURRENT
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    left.selectbox(
        t("scenario.start_from"),
        options=list(labels),
        format_func=labels.__getitem__,
        key=START_KEY,
        on_change=_on_start_chosen,
        args=(dataset,),
        help=t("scenario.start_help"),
    )
    with right.popover(t("scenario.open_file"), icon=":material/upload_file:"):
        uploaded = st.file_uploader(t("scenario.upload"), type=["yaml", "yml"], key="sc.file")
        if uploaded is not None and st.session_state.get(UPLOADED_KEY) != uploaded.file_id:
            st.session_state[UPLOADED_KEY] = uploaded.file_id
            folder = runs.uploads_dir()
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / runs.slug(Path(uploaded.name).stem)
            target = target.with_suffix(".yaml")
            target.write_bytes(uploaded.getvalue())
            try:
                scenario = load_scenario(target, allowed_roots=runs.scenario_roots())
            except ScenarioFileError as error:
                _add_notice(("error", (uploaded.name, error.problems)))
            else:
                _load(scenario, ("loaded", scenario))
            st.rerun()


def _notice() -> None:
    for kind, content in st.session_state.pop(NOTICE_KEY, None) or []:
        if kind == "error":
            name, problems = content
            st.error(t("scenario.file_error", file=literal(name)))
            lang = current_language()
            st.code("\n".join(problem_line(p, lang) for p in problems), language=None)
        elif kind == "saved":
            name, file = content
            st.success(t("scenario.saved_file", name=literal(name), file=f"`{file}`"))
        elif kind == "kept":
            st.info(t("scenario.overwrite_kept", file=f"`{content}`"))
        elif kind == "renamed":
            old, new = content
            st.warning(t("scenario.renamed", old=literal(old), new=literal(new)))
        else:
            st.success(t("scenario.loaded", name=literal(content.name)))


def _reference_problems(dataset: Dataset, scenario: Scenario, severity: Severity) -> bool:
    """Show what the scenario names that the package lacks (errors stop a run); True if any.

    The horizon without budget years is said apart, in the user's words.
    """
    problems = [
        p
        for p in check_scenario(dataset, scenario)
        if p.severity == severity and p.location != "horizon"
    ]
    if problems:
        (st.error if severity == Severity.ERROR else st.warning)(t(f"scenario.checks_{severity}"))
        lang = current_language()
        st.code("\n".join(problem_line(p, lang) for p in problems), language=None)
    return bool(problems)


def _package_warnings(dataset: Dataset, scenario: Scenario) -> None:
    years = set(dataset.years)
    horizon = set(range(scenario.horizon.start, scenario.horizon.end + 1))
    if not years & horizon:
        st.warning(
            t(
                "scenario.no_budget_years",
                start=scenario.horizon.start,
                end=scenario.horizon.end,
                years=", ".join(str(y) for y in sorted(years)),
            )
        )


# -- the form ------------------------------------------------------------------------------------
def _form(dataset: Dataset, s: Scenario, lang: str) -> tuple[str, FormValues] | None:
    """Draw the form; on submit, return which button and the values."""
    size = dataset.criteria.size
    source_names = {x.code: source_name(x, lang) for x in dataset.sources}
    years = sorted(set(dataset.years) | {s.horizon.start, s.horizon.end})
    communes = {
        c.code: f"{c.name} ({c.district})" if c.district else c.name for c in dataset.communes
    }
    districts = sorted({c.district for c in dataset.communes if c.district})
    has_wards = any(c.unit_type == UnitType.WARD for c in dataset.communes)

    scale, shown, edited = _budgets(dataset, s, source_names, lang)
    with st.form("sc.form", border=False):
        st.subheader(t("form.general"))
        name = st.text_input(t("form.name"), value=s.name, key=key("name"))
        description = st.text_area(
            t("form.description"), value=s.description or "", key=key("description"), height=68
        )

        st.subheader(t("form.horizon"))
        c1, c2, c4, c5 = st.columns([1, 1, 1.3, 1.3], vertical_alignment="bottom")
        start = c1.selectbox(
            t("form.start"), years, index=years.index(s.horizon.start), key=key("start")
        )
        end = c2.selectbox(t("form.end"), years, index=years.index(s.horizon.end), key=key("end"))
        pooled = c4.toggle(
            t("form.pooled"),
            value=s.horizon.single_period,
            key=key("pooled"),
            help=t("form.pooled_help"),
        )
        carry_over = c5.toggle(
            t("form.carry_over"),
            value=s.budgets.carry_over,
            key=key("carry_over"),
            help=t("form.carry_over_help"),
        )
        d1, d2 = st.columns([1, 3])
        rate = s.budgets.disbursement_rate
        disbursement = d1.number_input(
            t("form.disbursement"),
            min_value=0.0,
            max_value=100.0,
            value=None if rate is None else rate * 100,
            step=5.0,
            format="%.0f",
            key=key("disbursement"),
            placeholder=t("form.no_limit"),
            help=t("form.disbursement_help"),
        )
        rates_shown = disbursement_table(s, [int(y) for y in year_columns(shown)])
        with d2:
            st.markdown(t("form.disbursement_years"), help=t("form.disbursement_years_help"))
            rates = st.data_editor(
                rates_shown,
                key=key("disbursement_years"),
                hide_index=True,
                width="stretch",
                placeholder=t("form.rate_overall"),
                column_config={
                    year: st.column_config.NumberColumn(
                        t("form.year_budget", year=year),
                        min_value=0.0,
                        max_value=100.0,
                        step=1.0,
                        format="%.0f%%",
                    )
                    for year in rates_shown.columns
                },
            )

        st.subheader(t("form.objectives_targets"))
        floor = s.floor_for(size)
        objectives = st.multiselect(
            t("form.objectives"),
            options=[o.value for o in Objective],
            default=[o.value for o in s.objectives],
            format_func=lambda o: objective_name(o, lang, floor=floor),
            key=key("objectives"),
            help=t("form.objectives_help"),
            placeholder=t("form.none_chosen"),
        )
        g0, g1, g2 = st.columns([1, 1, 2])
        criteria_floor = g0.number_input(
            t("form.floor"),
            min_value=1,
            max_value=size,
            value=floor,
            step=1,
            key=key("floor"),
            help=t("form.floor_help", size=size, default=default_floor(size)),
        )
        target = g1.number_input(
            t("form.target_standard"),
            min_value=0,
            # a scenario written for a larger package may ask for more; the diagnosis explains it
            max_value=max(len(dataset.communes), s.targets.communes_at_standard or 0),
            value=s.targets.communes_at_standard,
            step=1,
            key=key("target"),
            placeholder=t("form.none"),
            help=t("form.target_standard_help"),
        )
        with g2:
            no_below = st.checkbox(
                t("form.no_below_floor"),
                value=s.targets.no_commune_below_floor,
                key=key("no_below"),
                help=t("form.no_below_floor_help"),
            )
            maintain = st.checkbox(
                t("form.maintain"),
                value=s.policies.maintain_standard,
                key=key("maintain"),
                help=t("form.maintain_help"),
            )
            include_wards = has_wards and st.checkbox(
                t("form.include_wards"), value=s.policies.include_wards, key=key("wards")
            )

        policies = st.expander(t("form.policies"), expanded=_has_policies(s))
        with policies:
            unknown = [c for c in must_reach_communes(s) if c not in communes]
            unknown += [d for d in must_reach_districts(s) if d not in districts]
            if unknown:  # a multiselect cannot hold them: say so rather than drop them unseen
                st.warning(t("form.must_reach_unknown", names=literal(", ".join(unknown))))
            must_communes = st.multiselect(
                t("form.must_reach"),
                options=list(communes),
                default=[c for c in must_reach_communes(s) if c in communes],
                format_func=communes.__getitem__,
                key=key("must_reach"),
                placeholder=t("form.none_chosen"),
                help=t("form.must_reach_help"),
            )
            must_districts = (
                st.multiselect(
                    t("form.must_reach_districts"),
                    options=districts,
                    default=[d for d in must_reach_districts(s) if d in districts],
                    key=key("must_reach_districts"),
                    placeholder=t("form.none_chosen"),
                )
                if districts
                else []
            )
            p1, p2 = st.container(), st.container()
            with p1:
                st.markdown(f"**{t('form.min_shares')}**")
                st.caption(t("form.min_shares_help"))
                shares = st.data_editor(
                    min_share_table(s),
                    key=key("min_shares"),
                    num_rows="dynamic",
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "name": None,
                        "group": st.column_config.SelectboxColumn(
                            t("form.group"),
                            options=[g.value for g in CommuneGroup],
                            format_func=lambda g: policy_group_name(g, lang),
                            required=True,
                            width="medium",
                        ),
                        "district": st.column_config.SelectboxColumn(
                            t("form.district"), options=districts
                        ),
                        "share": st.column_config.NumberColumn(
                            t("form.share"), min_value=0.0, max_value=100.0, format="%.0f%%"
                        ),
                        "source": st.column_config.SelectboxColumn(
                            t("form.of_money"),
                            options=["", *source_names],
                            format_func=lambda c: source_names.get(c, t("form.all_sources")),
                        ),
                    },
                )
            with p2:
                st.markdown(f"**{t('form.co_financing')}**")
                st.caption(t("form.co_financing_help"))
                co_financing = st.data_editor(
                    co_financing_table(s),
                    key=key("co_financing"),
                    num_rows="dynamic",
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "name": None,
                        "source": st.column_config.SelectboxColumn(
                            t("form.payer"),
                            options=list(source_names),
                            format_func=source_names.__getitem__,
                            required=True,
                        ),
                        "ratio": st.column_config.NumberColumn(
                            t("form.ratio"), min_value=0.0, format="%.0f%%"
                        ),
                        "of_source": st.column_config.SelectboxColumn(
                            t("form.of_source"),
                            options=list(source_names),
                            format_func=source_names.__getitem__,
                            required=True,
                        ),
                    },
                    column_order=["source", "ratio", "of_source"],
                )
            cap = st.number_input(
                t("form.commune_cap"),
                min_value=0.0,
                value=(s.policies.commune_cap / MILLION_PER_BILLION)
                if s.policies.commune_cap
                else None,
                step=1.0,
                key=key("cap"),
                placeholder=t("form.no_cap"),
            )

        solver = st.expander(t("form.solver"))
        v1, v2, _ = solver.columns([1, 1, 2])
        time_limit = v1.number_input(
            t("form.time_limit"),
            min_value=min(1.0, float(s.solver.time_limit)),
            max_value=max(3600.0, float(s.solver.time_limit)),
            value=float(s.solver.time_limit),
            step=10.0,
            format="%.0f",
            key=key("time_limit"),
            help=t("form.time_limit_help"),
        )
        gap = v2.number_input(
            t("form.gap"),
            min_value=0.0,
            max_value=100.0,
            value=float(s.solver.relative_gap * 100),
            step=0.1,
            format="%.2f",
            key=key("gap"),
            help=t("form.gap_help"),
        )
        solver.checkbox(t("form.verify"), key=VERIFY_KEY, help=t("form.verify_help"))
        b1, b2, _ = st.columns([1, 1, 3])
        run = b1.form_submit_button(
            t("form.run"),
            type="primary",
            icon=":material/play_arrow:",
            width="stretch",
            disabled=not auth.may(Action.RECORD_RUN),
        )
        save = b2.form_submit_button(
            t("form.save"),
            icon=":material/save:",
            width="stretch",
            disabled=not auth.may(Action.SAVE_SCENARIO),
        )
        if not auth.may(Action.RECORD_RUN):
            st.caption(t("auth.cannot_run"))

    if not (run or save):
        return None
    values = FormValues(
        name=name,
        description=description,
        start=int(start),
        end=int(end),
        pooled=pooled,
        carry_over=carry_over,
        scale_percent=scale,
        budgets_shown=shown,
        budgets_edited=edited,
        objectives=list(objectives),
        criteria_floor=(
            None
            if s.criteria_floor is None and int(criteria_floor) == default_floor(size)
            else int(criteria_floor)
        ),
        target_standard=None if target is None or target == 0 else int(target),
        no_commune_below_floor=no_below,
        maintain_standard=maintain,
        include_wards=bool(include_wards),
        commune_cap_billion=cap,
        must_reach_communes=list(must_communes),
        must_reach_districts=list(must_districts),
        min_shares=shares,
        co_financing=co_financing,
        time_limit=float(time_limit),
        gap_percent=float(gap),
        disbursement=Disbursement(overall_percent=disbursement, by_year=rates),
    )
    return ("save" if save else "run"), values


def budget_key(name: str) -> str:
    """A budget input's key: ``sc.<name>.<form version>.<budget version>`` (a new budget version
    shows the table again, worked out from the budgets just changed)."""
    return f"{key(name)}.{st.session_state.get(BUDGET_VERSION_KEY, 0)}"


def _budgets(
    dataset: Dataset, s: Scenario, source_names: dict[str, str], lang: str
) -> tuple[float | None, pd.DataFrame, pd.DataFrame]:
    """The overall factor and the budget table, outside the form so that a changed factor or
    amount updates the yearly amounts and the total at once; what cannot be run is said here."""
    st.subheader(t("form.budgets"))
    shown = budget_table(dataset, s, source_names)
    scale = st.number_input(
        t("form.scale"),
        value=float(s.budgets.scale * 100),
        step=5.0,
        format="%.0f",
        key=budget_key("scale"),
        help=t("form.scale_help"),
        on_change=_on_budgets_changed,
        args=(dataset, source_names, lang),
        width=220,
    )
    st.caption(t("form.budgets_caption"))
    edited = st.data_editor(
        shown,
        key=budget_key("budgets"),
        hide_index=True,
        width="stretch",
        disabled=[NAME_COLUMN],
        on_change=_on_budgets_changed,
        args=(dataset, source_names, lang),
        column_config={
            NAME_COLUMN: st.column_config.TextColumn(t("form.source"), width=SOURCE_WIDTH),
            # no minimum: a minus sign typed is kept, and the page says why it cannot be run
            FACTOR_COLUMN: st.column_config.NumberColumn(
                t("form.factor"), step=5.0, format="%.0f%%", width=FACTOR_WIDTH
            ),
            **{
                year: st.column_config.NumberColumn(
                    t("form.year_budget", year=year), format="localized", width=YEAR_WIDTH
                )
                for year in year_columns(shown)
            },
        },
    )
    problems = st.session_state.get(BUDGET_PROBLEMS_KEY) or budget_problems(edited, scale, lang)
    if problems:
        st.error(t("form.budget_refused"))
        st.markdown("\n".join(f"- {p}" for p in problems))
    else:
        total = money(_total(edited) * MILLION_PER_BILLION, lang)
        st.caption(t("form.budget_total", total=total))
    return scale, shown, edited


def _on_budgets_changed(dataset: Dataset, source_names: dict[str, str], lang: str) -> None:
    """A factor or an amount changed: make it the current scenario's and show the table worked
    out again (so the other amounts follow a factor); or keep the edit and say what is wrong."""
    s = runs.current_scenario(dataset)
    shown = budget_table(dataset, s, source_names)
    edited = _with_edits(shown, st.session_state.get(budget_key("budgets")))
    scale = st.session_state.get(budget_key("scale"))
    problems = budget_problems(edited, scale, lang)
    if not problems:
        try:
            budgets = budgets_from_table(s, shown, edited, float(scale), s.budgets.carry_over)
        except ValidationError as error:
            problems = [str(e["msg"]) for e in error.errors()]
        else:
            changed = s.model_copy(update={"budgets": budgets})
            problems = budget_problems(budget_table(dataset, changed, source_names), scale, lang)
    st.session_state[BUDGET_PROBLEMS_KEY] = problems
    if problems:
        return
    runs.set_current_scenario(changed)
    st.session_state[BUDGET_VERSION_KEY] = st.session_state.get(BUDGET_VERSION_KEY, 0) + 1


def _with_edits(shown: pd.DataFrame, state: dict | None) -> pd.DataFrame:
    """The budget table with the editor's changed cells (``edited_rows``) applied."""
    edited = shown.copy()
    for row, changes in ((state or {}).get("edited_rows") or {}).items():
        for column, value in changes.items():
            edited.at[shown.index[int(row)], column] = value
    return edited


def _has_policies(s: Scenario) -> bool:
    p = s.policies
    return bool(p.min_shares or p.must_reach or p.co_financing or p.commune_cap)


def _total(table) -> float:
    return float(table[year_columns(table)].to_numpy().sum())


# -- below the form ------------------------------------------------------------------------------
def _last_result() -> None:
    """After a run: solve (or read the cache), then the headline figures and a link to Results."""
    label = st.session_state.get(RESULT_KEY)
    run = runs.runs().get(label) if label else None
    if run is None:
        return
    lang = current_language()
    plan = runs.plan_for(run)
    if plan is None:
        return
    st.subheader(t("scenario.result", name=literal(run.label)))
    if not plan.feasible:
        st.error(t("results.infeasible"))
    else:
        kpi_metrics(plan, lang, keys=("at_standard", "at_floor", "money_total"))
    st.page_link("ui/pages/results.py", label=t("scenario.see_results"), icon=":material/insights:")


def _download(current: Scenario) -> None:
    """The current scenario as a YAML file (the same text as a saved scenario)."""
    with tempfile.TemporaryDirectory() as folder:
        path = save_scenario(current, Path(folder) / f"{runs.slug(current.name)}.yaml")
        content = path.read_bytes()
    st.download_button(
        t("scenario.download"),
        data=content,
        file_name=path.name,
        mime="application/x-yaml",
        icon=":material/download:",
    )


if __name__ == "__main__":
    render()
