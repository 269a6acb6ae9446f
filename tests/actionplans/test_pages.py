"""The reading pages: what they show, and that their SQL query count does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import rag
from core.periods import today
from actionplans.models import Plan, ProgressUpdate, Recommendation

from ..factories import ActionFactory, AreaFactory, LeadFactory, PlanFactory, ProgressUpdateFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def make_plan(size, unit, lead, title=None):
    """A plan of `size` actions over 5 areas and 10 recommendations, each with two progress updates."""
    plan = PlanFactory(title=title or f"Plan of {size}", unit=unit)
    areas = [AreaFactory(plan=plan, order=i) for i in range(5)]
    recommendations = [RecommendationFactory(area=areas[i % 5], plan=plan, number=str(i + 1)) for i in range(10)]
    for n in range(size):
        action = ActionFactory(
            area=areas[n % 5],
            recommendation=recommendations[n % 10] if n % 7 else None,
            number=f"{n % 10 + 1}.{n + 1}",
            timescale=["March 2011", "Ongoing", f"December {today().year + 1}", "Soon"][n % 4],
            leads=[lead, LeadFactory()] if n % 3 == 0 else [lead],
        )
        ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=rag.ON_TRACK)
        ProgressUpdateFactory(action=action, date=datetime.date(2010, 9, 30), status=rag.AT_RISK)
    return plan


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["home", "plan_list", "plan_detail", "plan_detail_as_at", "plan_export"])
def test_query_count_does_not_grow_with_the_number_of_actions(client, olivia, division, lead, page, django_assert_max_num_queries):
    small = make_plan(10, division, lead, "Small plan")
    client.force_login(olivia)
    urls = {
        "home": lambda plan: reverse("home"),
        "plan_list": lambda plan: reverse("plan_list") + "?rag=red&overdue=true",
        "plan_detail": lambda plan: reverse("plan_detail", args=[plan.pk]),
        "plan_detail_as_at": lambda plan: reverse("plan_detail", args=[plan.pk]) + "?as_at=2010-07-01",
        "plan_export": lambda plan: reverse("plan_detail", args=[plan.pk]) + "?format=csv&as_at=2010-07-01",
    }
    with_small = count_queries(client, urls[page](small))
    large = make_plan(200, division, lead, "Large plan")
    with_large = count_queries(client, urls[page](large))
    assert with_small == with_large
    with django_assert_max_num_queries(16):
        client.get(urls[page](large))


def test_my_actions_lists_overdue_first_then_soonest_due(client, olivia, plan, lead, oscar):
    area = AreaFactory(plan=plan)
    year = today().year
    later = ActionFactory(area=area, number="3", timescale=f"December {year + 2}", leads=[lead])
    sooner = ActionFactory(area=area, number="2", timescale=f"January {year + 1}", leads=[lead])
    overdue = ActionFactory(area=area, number="10", timescale="March 2011", leads=[lead])
    ongoing = ActionFactory(area=area, number="1", timescale="Ongoing", leads=[lead])
    not_mine = ActionFactory(area=area, number="4", timescale="March 2011", leads=[LeadFactory(user=oscar)])
    client.force_login(olivia)
    rows = client.get(reverse("home")).context["rows"]
    assert [row["action"] for row in rows] == [overdue, sooner, later, ongoing]
    assert not_mine not in [row["action"] for row in rows]
    assert rows[0]["overdue"] and rows[0]["rag"].colour == rag.RED


def test_managers_see_completions_awaiting_their_sign_off(client, olivia, mandy, maurice, action):
    from actionplans import services

    services.propose_completion(action=action, author=olivia, narrative="Done")
    client.force_login(mandy)
    assert [row["action"] for row in client.get(reverse("home")).context["awaiting"]] == [action]
    client.force_login(maurice)
    assert client.get(reverse("home")).context["awaiting"] == []


def test_plan_page_groups_area_recommendation_action_and_counts_by_colour(client, mandy, division, lead):
    plan = PlanFactory(unit=division, title="Kent Areas of Improvement 10/11 Action Plan")
    leadership, choice = AreaFactory(plan=plan, title="Leadership", order=0), AreaFactory(plan=plan, title="Choice", order=1)
    rec = RecommendationFactory(plan=plan, area=leadership, number="1", text="Report activity across district councils")
    overdue = ActionFactory(area=leadership, recommendation=rec, number="1.10", timescale="April 2011", leads=[lead])
    ActionFactory(area=leadership, recommendation=rec, number="1.2", timescale="Ongoing")
    loose = ActionFactory(area=choice, number="7", timescale="Completed")
    client.force_login(mandy)
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    sections = response.context["sections"]
    assert [s["area"].title for s in sections] == ["Leadership", "Choice"]
    assert [row["action"].number for row in sections[0]["groups"][0][1]] == ["1.2", "1.10"]
    assert [row["action"] for row in sections[1]["actions"]] == [loose]
    summary = response.context["summary"]
    assert (summary.counts[rag.RED], summary.counts[rag.GREEN], summary.counts[rag.BLUE]) == (1, 1, 1)
    page = response.content.decode()
    assert "Past its due date of 30 Apr 2011 and not completed" in page
    assert "Report activity across district councils" in page
    assert overdue.leads.get().name in page


def test_plan_page_as_at_uses_business_dates_and_old_wording(client, mandy, plan, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=rag.AT_RISK, narrative="Draft ready")
    ProgressUpdateFactory(action=action, date=datetime.date(2011, 2, 1), status=rag.OFF_TRACK, narrative="Slipped")
    original = action.text
    action.text = "Reworded after the fact"
    action.save()
    client.force_login(mandy)
    url = reverse("plan_detail", args=[plan.pk])

    # Every history row was written today, so any past day shows the wording first loaded.
    response = client.get(url + "?as_at=2010-07-01")
    row = response.context["sections"][0]["actions"][0]
    assert row["status"] == rag.AT_RISK and row["rag"].colour == rag.AMBER
    assert row["latest"].narrative == "Draft ready"
    assert original in response.content.decode() and "Reworded after the fact" not in response.content.decode()

    row = client.get(url + "?as_at=2011-04-01").context["sections"][0]["actions"][0]
    assert row["status"] == rag.OFF_TRACK and row["rag"].colour == rag.RED and "Past its due date" in row["rag"].reason

    row = client.get(url).context["sections"][0]["actions"][0]
    assert row["action"].text == "Reworded after the fact"


def test_plan_page_rejects_a_bad_as_at_date_clearly(client, mandy, plan):
    client.force_login(mandy)
    response = client.get(reverse("plan_detail", args=[plan.pk]) + "?as_at=2010-02-31")
    assert response.context["day"] == today()
    assert "must be a real date" in response.content.decode()
    assert client.get(reverse("plan_detail", args=[plan.pk]) + "?format=pdf").status_code == 400


def test_plans_list_filters(client, mandy, division, other_division, lead):
    kent = make_plan(3, division, lead, "Kent plan")
    sefton = PlanFactory(title="Sefton plan", unit=other_division, source=Plan.BUSINESS_PLAN)
    area = AreaFactory(plan=sefton)
    ActionFactory(area=area, number="1", timescale="Ongoing")
    ProgressUpdate.objects.create(action=sefton.actions.get(), date=datetime.date(2012, 1, 1), status=rag.CANCELLED)
    client.force_login(mandy)

    def titles(query):
        return [plan.title for plan, _, _ in client.get(reverse("plan_list") + query).context["rows"]]

    assert titles("") == ["Kent plan", "Sefton plan"]
    assert titles("?source=business_plan") == ["Sefton plan"]
    assert titles(f"?unit={division.pk}") == ["Kent plan"]
    assert titles(f"?lead={lead.pk}") == ["Kent plan"]
    assert titles("?status=closed") == []
    assert titles("?rag=red") == ["Kent plan", "Sefton plan"]
    assert titles("?rag=blue") == []
    assert titles("?overdue=true") == ["Kent plan"]
    assert titles("?q=sefton") == ["Sefton plan"]
    recommendation_text = Recommendation.objects.filter(plan=kent).first().text.split()[0]
    assert "Kent plan" in titles(f"?q={recommendation_text}")


def test_business_plan_overall_colour(client, mandy, division):
    plan = PlanFactory(unit=division, source=Plan.BUSINESS_PLAN, title="Business plan 2013/14")
    assert plan.rag_scheme == rag.BUSINESS
    area = AreaFactory(plan=plan, title="Priority 1")
    for number, status in [("1", rag.COMPLETED), ("2", rag.ON_COURSE), ("3", rag.DELAYED)]:
        action = ActionFactory(area=area, number=number, timescale="Ongoing")
        ProgressUpdate.objects.create(action=action, date=datetime.date(2013, 9, 30), status=status)
    client.force_login(mandy)
    summary = client.get(reverse("plan_detail", args=[plan.pk])).context["summary"]
    assert (summary.total, summary.completed, summary.on_course, summary.delayed_or_cancelled) == (3, 1, 1, 1)
    assert summary.overall.colour == rag.AMBER
