"""plan_report: the one read model of a plan as at a day, and what it filters."""

import dataclasses
import datetime

import pytest

from actionplans import rag
from actionplans.models import NEVER_RATED
from actionplans.selectors import PlanFilters, plan_report
from core.periods import today

from ..factories import ActionFactory, AreaFactory, LeadFactory, MilestoneFactory, ProgressUpdateFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kent(plan, lead):
    """Two areas; one recommendation with two actions (one overdue, at risk), and a loose action."""
    leadership = AreaFactory(plan=plan, title="Leadership", order=0)
    choice = AreaFactory(plan=plan, title="Choice and control", order=1)
    recommendation = RecommendationFactory(plan=plan, area=leadership, number="1", text="Report across districts")
    late = ActionFactory(area=leadership, recommendation=recommendation, number="1.1", timescale="March 2011", leads=[lead])
    ActionFactory(area=leadership, recommendation=recommendation, number="1.2", timescale=f"March {today().year + 1}",
                  leads=[LeadFactory(name="Head of Safeguarding - AH")])
    ActionFactory(area=choice, number="2", timescale="Completed")
    ProgressUpdateFactory(action=late, date=datetime.date(2010, 6, 30), status=rag.AT_RISK, narrative="Slipping")
    MilestoneFactory(action=late, activity="Forum meets", date_text="June 2010")
    return plan


def numbers(report):
    return [row.number for row in report.rows]


def test_areas_recommendations_and_actions_in_the_plans_order(kent):
    report = plan_report(kent)
    assert [area.title for area in report.areas] == ["Leadership", "Choice and control"]
    (group,) = report.areas[0].recommendations
    assert (group.number, group.text, [row.number for row in group.actions]) == ("1", "Report across districts", ["1.1", "1.2"])
    assert [row.number for row in report.areas[1].actions] == ["2"]
    late = report.areas[0].recommendations[0].actions[0]
    assert late.overdue and late.rag.colour == rag.RED and late.status == rag.AT_RISK
    assert late.latest_progress.narrative == "Slipping"
    assert [m.activity for m in late.milestones] == ["Forum meets"]
    assert late.lead_names == "Olivia Officer"
    assert report.summary.total == 3 and [row.number for row in report.overdue] == ["1.1"]


@pytest.mark.parametrize(
    "filters, expected",
    [
        (PlanFilters(), ["1.1", "1.2", "2"]),
        (PlanFilters(rag=rag.RED), ["1.1"]),
        (PlanFilters(rag=rag.BLUE), ["2"]),
        (PlanFilters(status=rag.AT_RISK), ["1.1"]),
        (PlanFilters(overdue=True), ["1.1"]),
        (PlanFilters(update_overdue=True), ["1.1", "1.2"]),
        (PlanFilters(rag=rag.AMBER), []),
    ],
)
def test_filters_keep_the_matching_actions_and_their_headings(kent, filters, expected):
    report = plan_report(kent, filters=filters)
    assert numbers(report) == expected
    assert report.summary.total == len(expected)
    # Headings with nothing under them are left out of a filtered report.
    assert all(list(area.rows) for area in report.areas)


def test_filters_by_area_and_lead(kent, lead):
    leadership = kent.areas.get(title="Leadership")
    assert numbers(plan_report(kent, filters=PlanFilters(area=leadership.pk))) == ["1.1", "1.2"]
    assert numbers(plan_report(kent, filters=PlanFilters(lead=lead.pk))) == ["1.1"]


def test_a_day_before_the_plan_existed_says_so(kent):
    assert plan_report(kent, datetime.date(2009, 1, 1)).before_source
    assert not plan_report(kent, datetime.date(2010, 4, 1)).before_source


def test_the_report_is_plain_frozen_data_that_serialises(kent):
    report = plan_report(kent)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.day = datetime.date(2010, 1, 1)
    data = dataclasses.asdict(report)
    assert data["plan"]["title"] == kent.title
    assert data["areas"][0]["recommendations"][0]["actions"][0]["rag"]["colour"] == rag.RED


def test_as_at_and_today_agree_when_nothing_changed_since(kent):
    # Today from the stored state, "as at" today from the history: the same rows.
    stored = plan_report(kent)
    kent.actions.update(rated_on=NEVER_RATED)
    assert plan_report(kent) == stored


# --- action_for_page: an action's own pages, loaded with queries compiled once ----------------------------------


def _field_values(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_action_for_page_gives_what_select_related_and_prefetch_related_give_in_four_queries(plan, lead, olivia):
    from django.db import connection
    from django.db.models import Prefetch
    from django.test.utils import CaptureQueriesContext

    from actionplans.models import Action, Milestone, ProgressUpdate
    from actionplans.selectors import action_for_page

    area = AreaFactory(plan=plan, title="Leadership")
    recommendation = RecommendationFactory(plan=plan, area=area, number="3")
    referred = ActionFactory(area=area, number="2.1")
    action = ActionFactory(area=area, recommendation=recommendation, number="3.1", cross_reference=referred,
                           leads=[LeadFactory(name="Zoe Zed"), lead])
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 9, 30), author=olivia, narrative="Later")
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), author=None, narrative="Earlier")
    MilestoneFactory(action=action, activity="Second", order=2)
    MilestoneFactory(action=action, activity="First", order=1)
    expected = Action.objects.select_related("plan", "area", "recommendation", "cross_reference").prefetch_related(
        "leads", Prefetch("progress_updates", queryset=ProgressUpdate.objects.select_related("author")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("order", "id")),
    ).get(pk=action.pk)
    action_for_page(action.pk)  # compiled
    with CaptureQueriesContext(connection) as captured:
        loaded = action_for_page(action.pk)
        read = {
            "action": _field_values(loaded),
            **{name: _field_values(getattr(loaded, name)) for name in ("plan", "area", "recommendation", "cross_reference")},
            "leads": [_field_values(each) for each in loaded.leads.all()],
            "updates": [(_field_values(update), update.author and _field_values(update.author), update.action is loaded)
                        for update in loaded.progress_updates.all()],
            "milestones": [(_field_values(milestone), milestone.action is loaded) for milestone in loaded.milestones.all()],
        }
    assert len(captured) == 4  # the action with what it points to, its leads, its updates, its milestones
    assert read == {
        "action": _field_values(expected),
        **{name: _field_values(getattr(expected, name)) for name in ("plan", "area", "recommendation", "cross_reference")},
        "leads": [_field_values(each) for each in expected.leads.all()],
        "updates": [(_field_values(update), update.author and _field_values(update.author), True)
                    for update in expected.progress_updates.all()],
        "milestones": [(_field_values(milestone), True) for milestone in expected.milestones.all()],
    }
    assert [update.narrative for update in loaded.progress_updates.all()] == ["Earlier", "Later"]
    assert [each.name for each in loaded.leads.all()][-1] == "Zoe Zed"
    assert loaded.state_on(datetime.date(2010, 10, 1)) == expected.state_on(datetime.date(2010, 10, 1))


def test_action_for_page_with_nothing_to_point_to_and_no_such_action(plan):
    from actionplans.selectors import action_for_page

    action = ActionFactory(area=AreaFactory(plan=plan))
    loaded = action_for_page(action.pk)
    assert loaded.recommendation is None and loaded.cross_reference is None
    assert list(loaded.leads.all()) == [] and list(loaded.progress_updates.all()) == [] and list(loaded.milestones.all()) == []
    assert action_for_page(action.pk + 1000) is None


def test_a_page_of_rows_read_by_their_ids_says_what_the_whole_list_s_rows_say(plan, lead):
    """A page's rows read what the actions point to with a subquery each (`rows_for_pages`); a download of the whole
    list joins them (`list_rows`). Both give the same rows, with and without a recommendation or cross-reference."""
    from actionplans.models import Action
    from actionplans.selectors import list_rows, rows_for_pages

    area = AreaFactory(plan=plan, title="Leadership")
    recommendation = RecommendationFactory(plan=plan, area=area, number="4")
    referred = ActionFactory(area=area, number="4.1", recommendation=recommendation, leads=[lead])
    ActionFactory(area=area, number="4.2", recommendation=recommendation, cross_reference=referred)
    loose = ActionFactory(area=AreaFactory(plan=plan, title="Choice"), number="5")
    ProgressUpdateFactory(action=loose, date=datetime.date(2010, 6, 30), narrative="Started")
    actions = Action.objects.filter(plan=plan).order_by("sort_key")
    ids = list(actions.values_list("pk", flat=True))
    [page] = rows_for_pages(ids[::-1])
    assert page[::-1] == list(list_rows(actions))
    assert {(row.number, row.area, row.recommendation_number, row.cross_reference, row.plan_title) for row in page} == {
        ("4.1", "Leadership", "4", None, plan.title),
        ("4.2", "Leadership", "4", ("4.1", referred.pk), plan.title),
        ("5", "Choice", "", None, plan.title),
    }
