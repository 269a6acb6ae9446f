"""Safeguarding pages: the overview, the quarter's data entry and the quarterly report to the Cabinet Member.
Who may see and enter is `permissions`'; what a page shows is `selectors`'; the rules are `rules`'."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from core import roles
from core.documents import DocumentUnavailable
from core.views import document_response
from performance.models import Reading

from . import permissions, report as report_files, selectors, services
from .entry import QuarterForm
from .models import Category, QuarterlyReturn, TimelinessMeasure

NOBODY_SEES = "Safeguarding figures are for the safeguarding team, the units above it and admins."


def _team(request):
    """(the team the page is about (?team=id, else the first the user sees), every team the user sees).

    403 for someone who sees no team; an admin with none set up gets (None, ()) and the page says so."""
    teams = list(permissions.teams_visible_to(request.user))
    if not teams:
        if roles.is_admin(request.user):
            return None, ()
        raise PermissionDenied(NOBODY_SEES)
    asked = request.GET.get("team") or request.POST.get("team")
    if not asked:
        return teams[0], tuple(teams)
    team = next((team for team in teams if str(team.pk) == asked), None)
    if team is None:
        raise Http404("No such safeguarding team, or not one you may see.")
    return team, tuple(teams)


def _quarter(request, default):
    """(quarter, error) from ?quarter= (like 2009/10 Q4), `default` when blank."""
    text = (request.POST.get("quarter") or request.GET.get("quarter") or "").strip()
    if not text:
        return default, None
    return selectors.read_quarter(text)


def overview(request):
    team, teams = _team(request)
    context = {"team": team, "teams": teams, "quarter_text": request.GET.get("quarter", "")}
    if team is None:
        return render(request, "safeguarding/overview.html", context)
    quarters = selectors.quarters_with_figures(team)
    quarter, error = _quarter(request, quarters[0] if quarters else None)
    context |= {"quarters": quarters, "quarter": quarter, "quarter_error": error,
                "may_enter": permissions.can_enter(request.user, team)}
    if error:
        return render(request, "safeguarding/overview.html", context, status=400)
    if quarter is not None:
        context["overview"] = selectors.overview(team, quarter)
    return render(request, "safeguarding/overview.html", context)


def report(request):
    """The quarterly report page; ?format=docx or pdf downloads it as a committee document (`report_files`)."""
    team, teams = _team(request)
    if team is None:
        raise Http404("No safeguarding team is set up yet.")
    file_format = request.GET.get("format") or "html"
    if file_format not in report_files.FORMATS:
        return HttpResponseBadRequest(f"Unknown format: use {', '.join(report_files.FORMATS)}.")
    quarters = selectors.quarters_with_figures(team)
    quarter, error = _quarter(request, quarters[0] if quarters else selectors.last_quarter_ended())
    context = {"team": team, "teams": teams, "quarters": quarters, "quarter": quarter, "quarter_error": error,
               "quarter_text": request.GET.get("quarter", "")}
    if error:
        if file_format != "html":
            return HttpResponseBadRequest(error)
        return render(request, "safeguarding/report.html", context, status=400)
    context["report"] = selectors.quarterly_report(team, quarter)
    if file_format != "html":
        try:
            return document_response(*report_files.render(context["report"], file_format))
        except DocumentUnavailable as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    context["download_query"] = urlencode({"team": team.pk, "quarter": quarter.label})
    return render(request, "safeguarding/report.html", context)


def entry(request):
    team, teams = _team(request)
    if team is None:
        raise Http404("No safeguarding team is set up yet.")
    if not permissions.can_enter(request.user, team):
        raise PermissionDenied("Only the safeguarding team, the managers above it and admins enter its figures.")
    quarter, error = _quarter(request, selectors.last_quarter_ended())
    context = {"team": team, "teams": teams, "quarter": quarter, "quarter_error": error,
               "quarter_text": (request.POST.get("quarter") or request.GET.get("quarter") or "")}
    if error:
        return render(request, "safeguarding/entry.html", context, status=400)
    saved_return = QuarterlyReturn.objects.filter(team=team, quarter_start=quarter.start).first()
    saved_counts = {
        (count.breakdown, count.category_id): count.count for count in (saved_return.counts.all() if saved_return else ())
    }
    measures = list(TimelinessMeasure.objects.filter(team=team).select_related("indicator").order_by("indicator__code"))
    readings = {
        reading.indicator_id: reading
        for reading in Reading.objects.filter(indicator__in=[m.indicator for m in measures], period_start=quarter.start)
    }
    form = QuarterForm(
        request.POST if request.method == "POST" else None, quarter=quarter, lists=Category.objects.by_breakdown(),
        measures=measures, saved_counts=saved_counts, saved_return=saved_return, readings=readings,
    )
    if request.method == "POST":
        if form.is_valid():
            services.save_quarter(
                team=team, quarter=quarter, user=request.user, counts=form.counts(),
                selected_outcomes=form.cleaned_data["selected_outcomes"], readings=form.readings(),
            )
            messages.success(request, f"Saved the safeguarding figures for {quarter.name}.")
            return redirect(f"{reverse('safeguarding_overview')}?{urlencode({'team': team.pk, 'quarter': quarter.label})}")
        context["errors"] = form.error_list()
    context["form"] = form
    return render(request, "safeguarding/entry.html", context, status=400 if context.get("errors") else 200)
