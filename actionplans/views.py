import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core import documents, publishing, roles
from core.asat import AsAtError, parse_day
from core.middleware import keep_form, take_kept_form
from core.pagination import CountedPaginator
from core.periods import today
from core.models import PublishedReport
from core.views import document_response, spreadsheet_download

from . import list_export, permissions, rag, reports, selectors, services, state
from .filters import ActionFilter, PlanFilter
from .forms import (
    MilestoneDoneForm, PlanReportFilterForm, ProgressUpdateForm, ProposeCompletionForm, PublishForm, SignOffForm,
)
from .history import action_changes
from .models import Action, Milestone, Plan

# The forms a person may be typing into when their session ends: kept through sign-in (core.middleware).
_VERSION = ("version", "seen_update_id")
keep_form("action_progress", "date_0", "date_1", "date_2", "narrative", "status", "page", "next", *_VERSION)
keep_form("action_propose_completion", "finished_on_0", "finished_on_1", "finished_on_2", "narrative", *_VERSION)
keep_form("action_sign_off", "decision", "comment", *_VERSION)
keep_form("milestone_done", "completed_on_0", "completed_on_1", "completed_on_2")

MY_ACTIONS_PER_PAGE = 20
PLANS_PER_PAGE = 20
ACTIONS_PER_PAGE = 50
AWAITING_SHOWN = 50


def _as_at(request):
    """(the day a page shows, from ?as_at=YYYY-MM-DD, today when absent; the error when it is no real date)."""
    try:
        return parse_day(request.GET.get("as_at")) or today(), None
    except AsAtError as error:
        text = request.GET["as_at"].strip()
        shown = text if len(text) <= 20 else text[:20] + "…"
        return None, f"{error} (you entered “{shown}”)"


def _page(request, items, per_page, count=None):
    paginator = Paginator(items, per_page) if count is None else CountedPaginator(items, per_page, count)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def home_context(request):
    """What the home page shows of plans: My actions (the actions the user leads, worst first, a page at a
    time) and, for a manager or an admin, the counts across plans of the actions they answer for, each linking
    to the list behind it. `performance.views.home` renders it, with the indicators beside it."""
    state.ensure_rated_today()
    led = selectors.ids_of_actions_led_by(request.user)
    page, query = _page(
        request, Action.objects.filter(pk__in=led).worst_first().values_list("pk", flat=True), MY_ACTIONS_PER_PAGE, len(led)
    )
    dashboard, awaiting = None, []
    is_admin = roles.is_admin(request.user)
    profile = roles.profile_of(request.user)
    if roles.oversees_units(request.user):
        units = roles.managed_unit_ids(request.user)
        proposed = selectors.actions_awaiting_sign_off(request.user, units, is_admin)
        # Every proposal's id, oldest first, in one query: counted here, and the first ones listed.
        awaiting = list(proposed.order_by("completion_proposed_on", "plan__title", "sort_key").values_list("pk", flat=True))
        dashboard = selectors.dashboard(profile.unit if profile else None, units, is_admin, len(awaiting))
    rows, awaiting = selectors.rows_for_pages(list(page.object_list), awaiting[:AWAITING_SHOWN])
    context = {
        "page": page, "rows": rows, "query": query,
        "dashboard": dashboard, "awaiting": awaiting, "today": today(),
        "is_manager": roles.is_manager(request.user), "has_unit": bool(profile and profile.unit_id),
    }
    return context


def action_list(request):
    """Actions across plans, filtered, sorted by due date and paginated in SQL; CSV or XLSX of the whole list."""
    state.ensure_rated_today()
    action_filter = ActionFilter(request.GET, queryset=Action.objects.all())
    actions = (action_filter.qs if action_filter.is_valid() else Action.objects.none()).soonest_due_first()
    if request.GET.get("format"):
        return spreadsheet_download(request, lambda file_format: list_export.export_actions(selectors.list_rows(actions), file_format))
    # The page's ids alone are sorted and sliced; rows_for_pages reads those actions in full.
    page, query = _page(request, actions.values_list("pk", flat=True), ACTIONS_PER_PAGE, action_filter.tallied_count())
    download = request.GET.copy()
    download.pop("page", None)
    context = {
        "filter": action_filter, "page": page, "rows": selectors.rows_for_pages(list(page.object_list))[0], "query": query,
        "download_query": download.urlencode(), "today": today(), "applied": action_filter.applied(),
    }
    return render(request, "actionplans/action_list.html", context)


def plan_list(request):
    state.ensure_rated_today()
    plan_filter = PlanFilter(request.GET, queryset=Plan.objects.all())
    plans = plan_filter.qs if plan_filter.is_valid() else Plan.objects.none()
    page, query = _page(request, plans.select_related("unit").order_by("title"), PLANS_PER_PAGE)
    summaries = selectors.summaries_of(page.object_list)
    rows = [(plan, summaries[plan.pk]) for plan in page.object_list]
    return render(
        request,
        "actionplans/plan_list.html",
        {"filter": plan_filter, "page": page, "rows": rows, "today": today(), "query": query},
    )


def _report_download(request, plan, day, filters):
    """?format=html|docx|pdf|xlsx|csv of the plan page: html is the print-friendly page, the rest downloads."""
    file_format = request.GET["format"]
    if file_format not in reports.FORMATS:
        return HttpResponseBadRequest(f"Unknown format: use {', '.join(reports.FORMATS)}.")
    report = selectors.plan_report(plan, day, filters)
    try:
        layout = reports.layout_for(report, request.GET.get("layout", ""))
    except reports.UnknownLayout as error:
        return HttpResponseBadRequest(str(error))
    changes = reports.changes_for(report) if file_format in ("html", "docx", "pdf") else None
    if file_format == "html":
        query = request.GET.copy()
        for name in ("format", "layout"):
            query.pop(name, None)
        html = reports.render_html(
            report, layout, changes=changes, standalone=False, download_query=query.urlencode(), request=request
        )
        return HttpResponse(html)
    try:
        content, content_type, filename = reports.render(report, file_format, layout, changes=changes)
    except documents.DocumentUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return document_response(content, content_type, filename)


def plan_detail(request, pk):
    plan = get_object_or_404(Plan.objects.select_related("unit"), pk=pk)
    day, as_at_error = _as_at(request)
    filter_form = PlanReportFilterForm(request.GET, plan=plan)
    context = {"plan": plan, "day": day, "as_at_error": as_at_error}
    if as_at_error:
        # Never a silent fall-back to another day: the page says what is wrong and shows no figures.
        if request.GET.get("format"):
            return HttpResponseBadRequest(as_at_error)
        return render(request, "actionplans/plan_detail.html", {**context, "filter_form": filter_form}, status=400)
    filters = filter_form.filters()
    if request.GET.get("format"):
        return _report_download(request, plan, day, filters)
    shown = request.GET.copy()
    shown.pop("format", None)
    shown["as_at"] = day.isoformat()
    context |= {
        "report": selectors.plan_report(plan, day, filters), "filter_form": filter_form,
        "download_query": shown.urlencode(), "layouts": reports.LAYOUTS,
        "can_publish": permissions.can_publish(request.user, plan),
        "published": publishing.published(PublishedReport.PLAN, plan.pk),
        "publish_form": _publish_form(),
    }
    return render(request, "actionplans/plan_detail.html", context)


def _publish_form(data=None):
    return PublishForm(data, auto_id="publish-%s")


@require_http_methods(["GET", "POST"])
def plan_publish(request, pk):
    """POST: publish the report the plan page shows (its "as at" day, filters and layout in the query string) for a
    meeting; a manager of the plan's unit or an admin only. GET goes to the plan page."""
    plan = get_object_or_404(Plan.objects.select_related("unit"), pk=pk)
    back = reverse("plan_detail", args=[plan.pk]) + (f"?{request.GET.urlencode()}" if request.GET else "")
    if request.method == "GET":
        return redirect(back)
    if not permissions.can_publish(request.user, plan):
        raise PermissionDenied("Only a manager of the plan's unit, or an admin, may publish its report.")
    day, as_at_error = _as_at(request)
    if as_at_error:
        return HttpResponseBadRequest(as_at_error)
    filters = PlanReportFilterForm(request.GET, plan=plan).filters()
    form = _publish_form(request.POST)
    report = selectors.plan_report(plan, day, filters)
    if not form.is_valid():
        messages.error(request, "; ".join(form.errors["meeting"]))
        return redirect(back + "#publish")
    try:
        layout = reports.layout_for(report, request.GET.get("layout", ""))
        published = reports.publish(report=report, layout=layout, meeting=form.cleaned_data["meeting"], user=request.user)
    except reports.UnknownLayout as error:
        return HttpResponseBadRequest(str(error))
    except documents.DocumentUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    messages.success(request, f"Report published for {published.meeting}: it will stay as it is now.")
    return redirect(back + "#published")


def _action_for_page(pk):
    action = selectors.action_for_page(pk)
    if action is None:
        raise Http404("No action has that number.")
    return action


def _versioned_initial(action):
    updates = list(action.progress_updates.all())
    return {"version": action.version, "seen_update_id": max((u.pk for u in updates), default=0)}


def _form_options(form_class, action):
    if form_class is ProgressUpdateForm:
        return _progress_form_options(action)
    if form_class is ProposeCompletionForm:
        return {"action": action}
    return {}


def _progress_form_options(action):
    return {"scheme": action.plan.rag_scheme, "completed": action.status_on(today()) == rag.COMPLETED}


def _row_today(action):
    """The action's row on its own pages: today's state, from its history (the page has it loaded)."""
    day = today()
    return selectors.action_row(action, state=action.state_on(day), latest=action.latest_update_on_day(day), plan=action.plan)


def _new_progress_form(action):
    day = today()
    initial = {**_versioned_initial(action), "date": day, "status": action.status_on(day) or None}
    return ProgressUpdateForm(**_progress_form_options(action), initial=initial)


def _safe_next(request, value):
    """Where to go back to after a write: only somewhere on this site."""
    allowed = url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return value if value and allowed else ""


def _render_action(request, action, status=200, **forms):
    day = today()
    can_update = permissions.can_update(request.user, action)
    can_sign_off = permissions.can_sign_off(request.user, action) and action.completion_proposed
    initial = _versioned_initial(action)
    context = {
        "action": action,
        "plan": action.plan,
        "row": _row_today(action),
        "updates": list(reversed(list(action.progress_updates.all()))),
        "milestones": list(action.milestones.all()),
        "changes": action_changes(action),
        "referring": selectors.referring_actions(action),
        "can_update": can_update,
        "can_sign_off": can_sign_off,
        "today": day,
    }
    kept = _kept_forms(request, action) if request.method == "GET" else {}
    forms = {**kept, **forms}
    context["milestones"] = _milestones_with_forms(context["milestones"], forms.get("milestone_form"), can_update, day)
    sent = forms.get("milestone_form")
    context["milestone_errors"] = sent if sent is not None and sent.errors else None
    if can_update:
        context["progress_form"] = forms.get("progress_form") or _new_progress_form(action)
        if not action.completion_proposed and action.status_on(day) != rag.COMPLETED:
            context["propose_form"] = forms.get("propose_form") or ProposeCompletionForm(
                initial={**initial, "finished_on": day}, action=action
            )
    if can_sign_off:
        context["sign_off_form"] = forms.get("sign_off_form") or SignOffForm(initial=initial)
    # Say "what you typed is below" only when it is: a kept form the page shows.
    shown = [context.get("propose_form"), context.get("sign_off_form")] + [form for _, form in context["milestones"]]
    context["restored"] = any(form is not None and form is kept_form for form in shown for kept_form in kept.values())
    context["conflict"] = forms.get("conflict")
    return render(request, "actionplans/action_detail.html", context, status=status)


def _milestones_with_forms(milestones, sent, can_update, day):
    """(milestone, its "mark done" form or None): a form for each open milestone of someone who may update
    the action; the one just sent (or kept through sign-in) shows what was typed."""
    if not can_update:
        return [(milestone, None) for milestone in milestones]
    return [
        (milestone, sent if sent and sent.milestone.pk == milestone.pk else (
            None if milestone.completed else MilestoneDoneForm(milestone=milestone, initial={"completed_on": day})
        ))
        for milestone in milestones
    ]


def _kept_forms(request, action):
    """Forms of the action page sent after the session ended, as the person typed them (core.middleware)."""
    kept = {}
    for name, url_name, form_class in [
        ("propose_form", "action_propose_completion", ProposeCompletionForm),
        ("sign_off_form", "action_sign_off", SignOffForm),
    ]:
        data = take_kept_form(request, reverse(url_name, args=[action.pk]))
        if data is not None:
            kept[name] = form_class(data, **_form_options(form_class, action))
    for milestone in action.milestones.all():
        data = take_kept_form(request, reverse("milestone_done", args=[milestone.pk]))
        if data is not None:
            kept["milestone_form"] = MilestoneDoneForm(data, milestone=milestone)
    return kept


def action_detail(request, pk):
    return _render_action(request, _action_for_page(pk))


def _post_only(view):
    """Addresses that only save a form: a GET (a bookmark, or signing in again after the session ended)
    goes to the action page that holds the form, which shows anything the person had typed."""

    @functools.wraps(view)
    def wrapped(request, pk):
        if request.method == "GET":
            return redirect("action_detail", pk=pk)
        return view(request, pk)

    return require_http_methods(["GET", "POST"])(wrapped)


def _write(request, pk, *, allowed, refusal, form_name, form_class, perform):
    """The shape every write on an action page shares.

    Check the permission (403, nothing changes), validate the form (the page again with
    the GOV.UK error summary), run the service (409 with what changed when someone else
    saved first), then redirect back with a message.
    """
    action = _action_for_page(pk)
    if not allowed(request.user, action):
        raise PermissionDenied(refusal)
    extra = _form_options(form_class, action)
    form = form_class(request.POST, **extra)
    if not form.is_valid():
        if request.POST.get("page") == "progress":  # sent from the update page that My actions links to
            return _render_progress_page(request, action, form)
        return _render_action(request, action, **{form_name: form})
    try:
        messages.success(request, perform(action, form.cleaned_data))
    except services.EditConflict as conflict:
        # Keep what they typed, point the form at the new version, and show what changed.
        fresh = _action_for_page(action.pk)
        data = form.data.copy()
        for name, value in _versioned_initial(fresh).items():
            data[name] = str(value)
        form = form_class(data, **extra)
        form.is_valid()
        if request.POST.get("page") == "progress":
            return _render_progress_page(request, fresh, form, status=409, conflict=conflict)
        return _render_action(request, fresh, status=409, conflict=conflict, **{form_name: form})
    except services.NotAllowed as not_allowed:
        messages.error(request, str(not_allowed))
    return redirect(_safe_next(request, request.POST.get("next", "")) or action)


def _seen(cleaned):
    return {"version": cleaned["version"], "seen_update_id": cleaned["seen_update_id"]}


def _render_progress_page(request, action, form=None, status=200, conflict=None, restored=False):
    back = _safe_next(request, request.GET.get("next") or request.POST.get("next") or "")
    if restored:
        back = _safe_next(request, form.data.get("next", "")) or back
    row = _row_today(action)
    form = form or _new_progress_form(action)
    context = {"action": action, "row": row, "form": form, "next": back, "conflict": conflict, "restored": restored}
    return render(request, "actionplans/progress_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def action_progress(request, pk):
    """GET: a page with just the update form (My actions links here); POST: save the update."""
    if request.method == "GET":
        action = _action_for_page(pk)
        if not permissions.can_update(request.user, action):
            raise PermissionDenied("Only the action's leads, their managers and admins may update it.")
        kept = take_kept_form(request, request.path)
        if kept is None:
            return _render_progress_page(request, action)
        # Back from signing in again after the session ended: what they typed, to check and save.
        form = ProgressUpdateForm(kept, **_progress_form_options(action))
        return _render_progress_page(request, action, form, restored=True)

    def perform(action, cleaned):
        services.add_progress_update(
            action=action, author=request.user, date=cleaned["date"], narrative=cleaned["narrative"],
            status=cleaned.get("status", ""), **_seen(cleaned),
        )
        return "Progress update saved."

    return _write(
        request, pk, allowed=permissions.can_update, form_name="progress_form", form_class=ProgressUpdateForm,
        refusal="Only the action's leads, their managers and admins may update it.", perform=perform,
    )


@_post_only
def action_propose_completion(request, pk):
    def perform(action, cleaned):
        services.propose_completion(
            action=action, author=request.user, narrative=cleaned["narrative"], finished_on=cleaned["finished_on"],
            **_seen(cleaned),
        )
        return "Completion proposed. A manager will confirm it or return it to you."

    return _write(
        request, pk, allowed=permissions.can_update, form_name="propose_form", form_class=ProposeCompletionForm,
        refusal="Only the action's leads, their managers and admins may propose its completion.", perform=perform,
    )


@_post_only
def action_sign_off(request, pk):
    def perform(action, cleaned):
        arguments = {"action": action, "manager": request.user, "comment": cleaned["comment"], **_seen(cleaned)}
        if cleaned["decision"] == SignOffForm.CONFIRM:
            services.confirm_completion(**arguments)
            return "Completion confirmed: the action now counts as completed."
        services.return_completion(**arguments)
        return "Completion returned to the lead with your comment."

    return _write(
        request, pk, allowed=permissions.can_sign_off, form_name="sign_off_form", form_class=SignOffForm,
        refusal="Only a manager of the action's unit, or an admin, may sign it off.", perform=perform,
    )


@require_http_methods(["GET", "POST"])
def milestone_done(request, pk):
    """A lead (or their manager, or an admin) marks a milestone done on a day; GET goes to its action's page."""
    milestone = get_object_or_404(Milestone.objects.only("pk", "action_id"), pk=pk)
    if request.method == "GET":
        return redirect("action_detail", pk=milestone.action_id)
    action = _action_for_page(milestone.action_id)
    milestone = next(m for m in action.milestones.all() if m.pk == milestone.pk)
    if not permissions.can_update(request.user, action):
        raise PermissionDenied("Only the action's leads, their managers and admins may mark its milestones done.")
    form = MilestoneDoneForm(request.POST, milestone=milestone)
    if not form.is_valid():
        return _render_action(request, action, milestone_form=form)
    try:
        services.complete_milestone(milestone=milestone, author=request.user, completed_on=form.cleaned_data["completed_on"])
        messages.success(request, f"Milestone marked done on {form.cleaned_data['completed_on']:%-d %B %Y}.")
    except services.NotAllowed as not_allowed:
        messages.error(request, str(not_allowed))
    return redirect(action)
