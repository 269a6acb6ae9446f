"""The plan page: area > recommendation > action from the read model, today or "as at" a day."""

import datetime

import pytest
from django.urls import reverse

from actionplans import rag
from actionplans.models import NEVER_RATED, Action, Plan
from core.periods import today

from ...factories import ActionFactory, AreaFactory, LeadFactory, PlanFactory, ProgressUpdateFactory, RecommendationFactory
from ..conftest import LARGE, SMALL

pytestmark = pytest.mark.django_db


def report(client, plan, query=""):
    return client.get(reverse("plan_detail", args=[plan.pk]) + query).context["report"]


def test_groups_area_recommendation_action_and_counts_by_colour(client, mandy, division, lead):
    plan = PlanFactory(unit=division, title="Kent Areas of Improvement 10/11 Action Plan")
    leadership, choice = AreaFactory(plan=plan, title="Leadership", order=0), AreaFactory(plan=plan, title="Choice", order=1)
    rec = RecommendationFactory(plan=plan, area=leadership, number="1", text="Report activity across district councils")
    overdue = ActionFactory(area=leadership, recommendation=rec, number="1.10", timescale="April 2011", leads=[lead])
    ActionFactory(area=leadership, recommendation=rec, number="1.2", timescale="Ongoing")
    ActionFactory(area=choice, number="7", timescale="Completed")
    client.force_login(mandy)
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    shown = response.context["report"]
    assert [area.title for area in shown.areas] == ["Leadership", "Choice"]
    assert [row.number for row in shown.areas[0].recommendations[0].actions] == ["1.2", "1.10"]
    assert [row.number for row in shown.areas[1].actions] == ["7"]
    assert (shown.summary.counts[rag.RED], shown.summary.counts[rag.GREEN], shown.summary.counts[rag.BLUE]) == (1, 1, 1)
    page = response.content.decode()
    assert "Past its due date of 30 Apr 2011 and not completed" in page
    assert "Report activity across district councils" in page
    assert overdue.leads.get().name in page


def test_as_at_uses_business_dates_and_old_wording(client, mandy, plan, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=rag.AT_RISK, narrative="Draft ready")
    ProgressUpdateFactory(action=action, date=datetime.date(2011, 2, 1), status=rag.OFF_TRACK, narrative="Slipped")
    original = action.text
    action.text = "Reworded after the fact"
    action.save()
    client.force_login(mandy)
    url = reverse("plan_detail", args=[plan.pk])

    # Every history row was written today, so any past day shows the wording first loaded.
    response = client.get(url + "?as_at=2010-07-01")
    (row,) = response.context["report"].rows
    assert row.status == rag.AT_RISK and row.rag.colour == rag.AMBER
    assert row.latest_progress.narrative == "Draft ready"
    assert original in response.content.decode() and "Reworded after the fact" not in response.content.decode()

    (row,) = report(client, plan, "?as_at=2011-04-01").rows
    assert row.status == rag.OFF_TRACK and row.rag.colour == rag.RED and "Past its due date" in row.rag.reason

    (row,) = report(client, plan).rows
    assert row.text == "Reworded after the fact"


def test_as_at_rates_the_old_timescale_against_its_old_due_date(client, mandy, plan, action):
    # Loaded as "March 2011"; the history row is backdated so that the edit below is "later".
    first = Action.history.filter(id=action.pk).earliest("history_date")
    first.history_date = first.history_date.replace(year=2010)
    first.save()
    action.timescale = "March 2012"
    action.save()
    client.force_login(mandy)
    (row,) = report(client, plan, "?as_at=2011-06-01").rows
    assert row.timescale == "March 2011"
    assert row.rag.colour == rag.RED and "31 Mar 2011" in row.rag.reason


def test_today_reads_the_stored_state_and_it_equals_the_history(client, mandy, plan, action):
    ProgressUpdateFactory(action=action, date=today(), status=rag.AT_RISK)
    client.force_login(mandy)
    (stored,) = report(client, plan).rows
    Action.objects.filter(pk=action.pk).update(rated_on=NEVER_RATED)  # stale: the page computes from history instead
    (computed,) = report(client, plan).rows
    assert stored == computed and stored.rag.colour == rag.RED


def test_a_bad_as_at_date_is_said_clearly(client, mandy, plan):
    client.force_login(mandy)
    for bad in ["2010-02-31", "garbage"]:
        response = client.get(reverse("plan_detail", args=[plan.pk]) + f"?as_at={bad}")
        # Not a silent fall-back to today: a GOV.UK error on the field, and no figures of any day.
        assert response.status_code == 400
        page = response.content.decode()
        assert '<div class="govuk-error-summary"' in page and 'href="#as_at"' in page
        assert 'id="as_at-error"' in page and "govuk-input--error" in page
        assert "Enter a real date, written as YYYY-MM-DD" in page and f"(you entered “{bad}”)" in page
        assert response.context.get("report") is None and 'id="no-figures"' in page
        assert page.count("<title>Error: ") == 1
    response = client.get(reverse("plan_detail", args=[plan.pk]) + "?as_at=1900-01-01")
    assert response.status_code == 400 and "1 January 1990 or later" in response.content.decode()
    download = client.get(reverse("plan_detail", args=[plan.pk]) + "?as_at=garbage&format=csv")
    assert download.status_code == 400 and "Enter a real date" in download.content.decode()
    assert client.get(reverse("plan_detail", args=[plan.pk]) + "?format=odt").status_code == 400


def test_business_plan_overall_colour(client, mandy, division):
    plan = PlanFactory(unit=division, source=Plan.BUSINESS_PLAN, title="Business plan 2013/14")
    assert plan.rag_scheme == rag.BUSINESS
    area = AreaFactory(plan=plan, title="Priority 1")
    for number, status in [("1", rag.COMPLETED), ("2", rag.ON_COURSE), ("3", rag.DELAYED)]:
        action = ActionFactory(area=area, number=number, timescale="Ongoing")
        ProgressUpdateFactory(action=action, date=datetime.date(2013, 9, 30), status=status)
    client.force_login(mandy)
    summary = report(client, plan).summary
    assert (summary.total, summary.completed, summary.on_course, summary.delayed_or_cancelled) == (3, 1, 1, 1)
    assert summary.overall.colour == rag.AMBER


def test_update_freshness_is_shown_and_counted(client, mandy, plan, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2011, 2, 11), status=rag.ON_TRACK, narrative="Ok")
    client.force_login(mandy)
    response = client.get(reverse("plan_detail", args=[plan.pk]))
    assert response.context["report"].summary.update_overdue == 1
    assert "No update since 11 Feb 2011" in response.content.decode()


@pytest.mark.parametrize("user", ["olivia", "oscar", "mandy", "maurice", "ada"])
def test_everyone_signed_in_may_read_it(client, everyone, plan, user):
    client.force_login(everyone[user])
    assert client.get(reverse("plan_detail", args=[plan.pk])).status_code == 200


def test_absent_plan_is_404_and_anonymous_goes_to_login(client, mandy, plan):
    assert client.get(reverse("plan_detail", args=[plan.pk]))["Location"].startswith(reverse("login"))
    client.force_login(mandy)
    assert client.get(reverse("plan_detail", args=[plan.pk + 1000])).status_code == 404


@pytest.mark.parametrize("query", ["", "?as_at=2010-07-01", "?format=csv&as_at=2010-07-01", "?format=xlsx"])
def test_query_count_does_not_grow(client, mandy, division, lead, plan_of, queries_of, query, django_assert_max_num_queries):
    client.force_login(mandy)
    small = queries_of(reverse("plan_detail", args=[plan_of(SMALL, division, lead, "Small").pk]) + query)
    large = plan_of(LARGE, division, lead, "Large")
    assert queries_of(reverse("plan_detail", args=[large.pk]) + query) == small
    # 17: the plan's reports published for meetings and whether the person may publish are two of them.
    with django_assert_max_num_queries(16):
        client.get(reverse("plan_detail", args=[large.pk]) + query)


def test_everything_typed_is_escaped_in_the_rows(client, mandy, plan):
    nasty = '<script>alert("x")</script>'
    lead = LeadFactory(name=f"Lead {nasty}")
    action = ActionFactory(area=AreaFactory(plan=plan), number="1<b>", text=f"Text {nasty}", timescale=f"March 2011 {nasty}",
                           leads=[lead])
    ProgressUpdateFactory(action=action, narrative=f"Progress {nasty}")
    client.force_login(mandy)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "<script>" not in page.split("<main", 1)[1].split("</main>")[0]
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 4
    assert 'data-action="1&lt;b&gt;"' in page


def test_a_plan_with_no_owning_unit_is_flagged_with_what_it_means(client, mandy, ada):
    from ...factories import PlanFactory

    plan = PlanFactory(title="Imported without a unit", unit=None)
    client.force_login(mandy)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="no-unit"' in page and "No manager can sign off its actions" in page
    assert "edit the plan" not in page
    client.force_login(ada)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'href="{reverse("admin:actionplans_plan_change", args=[plan.pk])}">edit the plan' in page


def test_actions_needing_a_due_date_are_counted_shown_and_filterable(client, mandy, plan):
    from ...factories import ActionFactory, AreaFactory

    area = AreaFactory(plan=plan)
    ActionFactory(area=area, number="1", timescale="March 2011")
    ActionFactory(area=area, number="2", timescale="Starting Sept 2010, And over following 9 months.")
    ActionFactory(area=area, number="3", timescale="Ongoing")
    client.force_login(mandy)
    response = client.get(plan.get_absolute_url())
    report = response.context["report"]
    assert report.summary.needs_due_date == 1 and report.summary.counts[rag.GREY] == 1
    assert {row.number: row.rag.colour for row in report.rows} == {"1": rag.RED, "2": rag.GREY, "3": rag.GREEN}
    page = response.content.decode()
    assert "1 needing a due date" in page and "Needs a due date" in page
    filtered = client.get(plan.get_absolute_url() + "?needs_due_date=on").context["report"]
    assert [row.number for row in filtered.rows] == ["2"]
