"""Performance pages. Business plan monitoring (seed 001, 5.3) counts the actions of the divisions'
business plans, which `actionplans` keeps; this app only shows them. The indicator dashboard and the
indicator page read `performance.selectors`."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actionplans import selectors, state
from actionplans import views as actionplans_views
from actionplans.forms import PublishForm
from actionplans.models import Plan
from core import publishing, roles
from core.documents import DocumentUnavailable
from core.forms import ChoicePairs, unit_choices
from core.models import PublishedReport
from core.rag import COLOUR_LABELS
from core.spreadsheets import CONTENT_TYPES, write_csv, write_xlsx
from core.views import document_response, spreadsheet_download

from . import export, permissions, report
from . import selectors as performance_selectors

BUSINESS_PLAN_HEADERS = [
    "Division", "Priorities", "Actions", "Completed", "On course", "Delayed or cancelled", "Overall RAG",
]


def _monitoring_rows(table):
    lines = [*table.rows, *([table.unowned] if table.unowned else []), table.totals]
    return [
        [row.division, row.priorities, row.actions, row.completed, row.on_course, row.delayed_or_cancelled,
         row.overall or ""]
        for row in lines
    ]


def _export(table, file_format):
    stem = f"business-plan-monitoring-{table.day.isoformat()}"
    rows = _monitoring_rows(table)
    if file_format == "csv":
        return write_csv(BUSINESS_PLAN_HEADERS, rows), CONTENT_TYPES["csv"], f"{stem}.csv"
    return write_xlsx([("Business plan monitoring", BUSINESS_PLAN_HEADERS, rows)]), CONTENT_TYPES["xlsx"], f"{stem}.xlsx"


def business_plan(request):
    """The business plan dashboard as at today, each number linking to the actions behind it; ?format=csv|xlsx."""
    state.ensure_rated_today()
    table = selectors.business_plan_monitoring()
    if request.GET.get("format"):
        return spreadsheet_download(request, lambda file_format: _export(table, file_format))
    return render(request, "performance/business_plan.html", {"table": table, "source": Plan.BUSINESS_PLAN})


# --- Indicators: the dashboard and the indicator page -------------------------------------------

INDICATOR_RAG_CHOICES = [
    ("", "Any colour"), *((colour, COLOUR_LABELS[colour]) for colour in performance_selectors.INDICATOR_COLOURS)
]


class DashboardFilterForm(forms.Form):
    """The dashboard's GET filters. The period is read by `selectors.choose_month` (an error, not a fall-back);
    a unit, domain or colour that is not one of the choices is left out, and the field says so."""

    unit = forms.TypedChoiceField(label="Organisation unit", required=False, coerce=int, empty_value=None,
                                  help_text="The unit and the units below it")
    domain = forms.ChoiceField(label="Domain", required=False)
    rag = forms.ChoiceField(label="RAG", required=False, choices=INDICATOR_RAG_CHOICES)

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices("Any unit")
        self.fields["domain"].choices = ChoicePairs(
            [("", "Any domain"), *((domain, domain or performance_selectors.NO_DOMAIN) for domain in domains)]
        )

    def filters(self):
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in ("unit", "domain", "rag") if name not in self.errors}


def _period_error(request, choice, template, context):
    """A period that cannot be shown: the page with the error on the field and no figures, or a plain 400
    for a download (DOMAIN.md: never a silent fall-back to another month)."""
    if request.GET.get("format"):
        return HttpResponseBadRequest(choice.error)
    return render(request, template, {**context, "choice": choice}, status=400)


def dashboard(request):
    """Every indicator the user sees as at a month (?period=YYYY-MM, the latest by default): RAG tiles,
    the table by domain with sparklines, filters, ?format=csv|xlsx for the filtered indicators."""
    choice = performance_selectors.choose_month(request.GET.get("period"), request.user)
    domains = performance_selectors.domain_counts(request.user)
    form = DashboardFilterForm(request.GET, domains=[domain for domain, _ in domains])
    if choice.error:
        return _period_error(request, choice, "performance/dashboard.html", {"form": form})
    filters = form.filters()
    if request.GET.get("format") and choice.month is None:
        return HttpResponseBadRequest("There are no indicator figures to download yet.")
    if request.GET.get("format"):
        indicators = performance_selectors.filtered_indicators(request.user, month=choice.month, **filters)
        return spreadsheet_download(
            request, lambda file_format: export.export_indicators(choice.month, file_format, indicators)
        )
    board = performance_selectors.dashboard(
        request.user, choice.month, page=request.GET.get("page") or 1, months=choice.months, domains=domains, **filters
    )
    # The links keep the month shown and the filters: pages and downloads all of them, the tiles all but the colour.
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    if choice.month is not None:
        query["period"] = choice.month.label
    tiles = query.copy()
    tiles.pop("rag", None)
    return render(request, "performance/dashboard.html", {
        "form": form, "choice": choice, "board": board, "query": query.urlencode(), "tile_query": tiles.urlencode(),
        "can_publish": permissions.can_publish_report(request.user),
        "published": publishing.published(PublishedReport.PERFORMANCE) if roles.oversees_units(request.user) else None,
        "publish_form": PublishForm(auto_id="publish-%s"),
    })


def _report_of(request):
    """(month, report, the query the links keep) of the committee report the request asks for, or (None, the error
    response, "")."""
    choice = performance_selectors.choose_month(request.GET.get("period"), request.user)
    if choice.error:
        return None, HttpResponseBadRequest(choice.error), ""
    if choice.month is None:
        return None, HttpResponseBadRequest("There are no indicator figures to report yet."), ""
    form = DashboardFilterForm(request.GET, domains=performance_selectors.domains_of(request.user))
    indicators = performance_selectors.filtered_indicators(request.user, month=choice.month, **form.filters())
    state.ensure_rated_today()  # the business plan table of the current month counts today's stored state
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    query["period"] = choice.month.label
    return choice.month, report.performance_report(choice.month, indicators), query.urlencode()


def performance_report(request):
    """The dashboard as a committee appendix (seed 001, Appendix A) for ?period=YYYY-MM with the dashboard's
    filters: ?format=html (the print page, the default), docx, pdf or xlsx."""
    file_format = request.GET.get("format") or "html"
    if file_format not in report.FORMATS:
        return HttpResponseBadRequest(f"Unknown format: use {', '.join(report.FORMATS)}.")
    month, made, query = _report_of(request)
    if month is None:
        return made
    changes = report.changes_for(made, month)
    if file_format == "html":
        return HttpResponse(report.render_html(made, changes=changes, standalone=False, query=query, request=request))
    try:
        return document_response(*report.render(made, file_format, changes=changes))
    except DocumentUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "POST"])
def performance_publish(request):
    """POST: publish the performance report of ?period (with the dashboard's filters) for a meeting; managers and
    admins only. GET goes back to the dashboard."""
    back = reverse("performance_dashboard") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if request.method == "GET":
        return redirect(back)
    if not permissions.can_publish_report(request.user):
        raise PermissionDenied("Only managers and admins may publish the performance report.")
    form = PublishForm(request.POST, auto_id="publish-%s")
    if not form.is_valid():
        messages.error(request, "; ".join(form.errors["meeting"]))
        return redirect(back + "#publish")
    month, made, _ = _report_of(request)
    if month is None:
        return made
    try:
        published = report.publish(report=made, month=month, meeting=form.cleaned_data["meeting"], user=request.user)
    except DocumentUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    messages.success(request, f"Performance report published for {published.meeting}: it will stay as it is now.")
    return redirect(back + "#published")


def indicator_detail(request, pk):
    """One indicator: its definition, its figures period by period (chart and table), readings, targets,
    benchmarking and linked actions, as at ?period=YYYY-MM (the latest by default). 404 when not visible."""
    indicator = get_object_or_404(
        performance_selectors.visible_indicators(request.user).select_related("accountable", "unit_owner"), pk=pk
    )
    choice = performance_selectors.choose_month(request.GET.get("period"))
    if choice.error:
        return _period_error(request, choice, "performance/indicator_detail.html", {"indicator": indicator})
    report = performance_selectors.indicator_page(indicator, choice.month)
    return render(request, "performance/indicator_detail.html", {"indicator": indicator, "choice": choice, "report": report})


def home(request):
    """The home page of actionplans (My actions; a manager's counts of actions), with a manager's or an admin's
    indicator RAG counts for the latest month beside it, each linking to the dashboard behind it."""
    context = actionplans_views.home_context(request)
    if context["dashboard"] is not None:
        context["indicators"] = performance_selectors.summary_for_home(request.user)
    return render(request, "performance/home.html", context)
