"""My actions: the actions the user leads, worst first, a page at a time, from the stored state."""

import pytest
from django.urls import reverse

from actionplans import rag, services
from actionplans.views import MY_ACTIONS_PER_PAGE
from core.periods import today

from ...factories import ActionFactory, AreaFactory, LeadFactory, ProgressUpdateFactory
from ..conftest import LARGE, SMALL

pytestmark = pytest.mark.django_db


def numbers(response, key="rows"):
    return [row.number for row in response.context[key]]


def test_lists_overdue_first_then_soonest_due_and_only_mine(client, olivia, plan, lead, oscar):
    area = AreaFactory(plan=plan)
    year = today().year
    ActionFactory(area=area, number="3", timescale=f"December {year + 2}", leads=[lead])
    ActionFactory(area=area, number="2", timescale=f"January {year + 1}", leads=[lead])
    ActionFactory(area=area, number="10", timescale="March 2011", leads=[lead])
    ActionFactory(area=area, number="1", timescale="Ongoing", leads=[lead])
    ActionFactory(area=area, number="4", timescale="March 2011", leads=[LeadFactory(user=oscar)])
    client.force_login(olivia)
    response = client.get(reverse("home"))
    assert numbers(response) == ["10", "2", "3", "1"]
    first = response.context["rows"][0]
    assert first.overdue and first.rag.colour == rag.RED


def test_an_action_with_two_of_my_leads_is_listed_once(client, olivia, plan, lead):
    second = LeadFactory(name="Head of Safeguarding - OO", user=olivia)
    ActionFactory(area=AreaFactory(plan=plan), number="1", leads=[lead, second])
    client.force_login(olivia)
    assert numbers(client.get(reverse("home"))) == ["1"]


def test_pages_of_twenty(client, olivia, plan, lead):
    area = AreaFactory(plan=plan)
    for n in range(MY_ACTIONS_PER_PAGE + 3):
        ActionFactory(area=area, number=str(n + 1), timescale="Ongoing", leads=[lead])
    client.force_login(olivia)
    first, second = client.get(reverse("home")), client.get(reverse("home") + "?page=2")
    assert len(first.context["rows"]) == MY_ACTIONS_PER_PAGE and len(second.context["rows"]) == 3
    assert not set(numbers(first)) & set(numbers(second))
    assert 'rel="next"' in first.content.decode() and "23 actions you lead" in first.content.decode()


def test_each_row_links_to_its_short_update_page_and_shows_the_latest_progress(client, olivia, action):
    ProgressUpdateFactory(action=action, narrative="Training booked for March", status=rag.ON_TRACK)
    client.force_login(olivia)
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("action_progress", args=[action.pk])}?next=/"' in page
    assert "Training booked for March" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]  # no form per row: it opens on demand


def test_managers_see_completions_awaiting_their_sign_off(client, olivia, mandy, maurice, dmitri, action):
    services.propose_completion(action=action, author=olivia, narrative="Done")
    for manager, expected in [(mandy, [action.number]), (dmitri, [action.number]), (maurice, [])]:
        client.force_login(manager)
        assert numbers(client.get(reverse("home")), "awaiting") == expected
    client.force_login(olivia)
    assert client.get(reverse("home")).context["awaiting"] == []


def test_a_managers_own_proposal_is_not_listed_for_their_sign_off(client, mandy, dmitri, action):
    services.propose_completion(action=action, author=mandy, narrative="Done")
    client.force_login(mandy)
    assert client.get(reverse("home")).context["awaiting"] == []
    client.force_login(dmitri)
    assert numbers(client.get(reverse("home")), "awaiting") == [action.number]


def test_an_officer_who_leads_nothing_is_told_so(client, oscar):
    client.force_login(oscar)
    assert "You do not lead any actions yet" in client.get(reverse("home")).content.decode()


def test_needs_a_login(client):
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_query_count_does_not_grow(client, olivia, division, lead, plan_of, queries_of, django_assert_max_num_queries):
    plan_of(SMALL, division, lead, "Small plan")
    client.force_login(olivia)
    small = queries_of(reverse("home"))
    plan_of(LARGE, division, lead, "Large plan")
    assert queries_of(reverse("home")) == small
    assert queries_of(reverse("home") + "?page=2") == small
    with django_assert_max_num_queries(8):
        client.get(reverse("home"))


def test_a_managers_query_count_does_not_grow_with_the_proposals(
    client, olivia, mandy, division, lead, plan_of, queries_of, django_assert_max_num_queries
):
    actions = list(plan_of(LARGE, division, lead).actions.all())
    for action in actions[:2]:
        services.propose_completion(action=action, author=olivia, narrative="")
    client.force_login(mandy)
    few = queries_of(reverse("home"))
    for action in actions[2:30]:
        services.propose_completion(action=action, author=olivia, narrative="")
    assert queries_of(reverse("home")) == few
    # 13 for the plans' counts (the plans' tallies, and the actions that name a unit of their own) and lists,
    # and one asking whether any indicator beside them has figures yet (performance.views.home; with figures,
    # one more counts them).
    with django_assert_max_num_queries(13):
        client.get(reverse("home"))


# --- A manager's home: counts across plans for their unit and below ---------------------------


def test_a_manager_sees_counts_across_plans_for_their_units_each_linking_to_its_list(
    client, mandy, olivia, plan, lead, division, other_division
):
    from ...factories import PlanFactory

    area = AreaFactory(plan=plan)
    ActionFactory(area=area, number="1", timescale="March 2011", leads=[lead])  # Red, overdue
    ActionFactory(area=area, number="2", timescale="As soon as we can")  # Not rated, needs a due date
    future = ActionFactory(area=area, number="3", timescale=f"December {today().year + 1}", leads=[lead])
    ProgressUpdateFactory(action=future, date=today(), status=rag.ON_TRACK)
    services.propose_completion(action=future, author=olivia, narrative="Done")
    elsewhere = AreaFactory(plan=PlanFactory(title="Elsewhere", unit=other_division))
    ActionFactory(area=elsewhere, number="1", timescale="March 2011")  # not Mandy's to oversee
    client.force_login(mandy)
    response = client.get(reverse("home"))
    dashboard = response.context["dashboard"]
    assert dashboard.summary.counts == {rag.RED: 1, rag.GREY: 1, rag.GREEN: 1}
    assert (dashboard.summary.overdue, dashboard.summary.needs_due_date, dashboard.awaiting_sign_off) == (1, 1, 1)
    assert dashboard.summary.update_overdue == 2
    page = response.content.decode()
    assert "You do not lead any actions yet" not in page
    listed = reverse("action_list")
    for link in ["rag=red", "rag=grey", "overdue=true", "update_overdue=true", "needs_due_date=true"]:
        assert f'href="{listed}?unit={division.pk}&amp;{link}"' in page
    assert 'href="#awaiting"' in page and "Completions awaiting your sign-off" in page
    # The link behind a count shows the same actions the count counted.
    assert len(client.get(f"{listed}?unit={division.pk}&needs_due_date=true").context["rows"]) == 1
    assert len(client.get(f"{listed}?unit={division.pk}&update_overdue=true").context["rows"]) == 2


def test_an_admin_sees_counts_for_every_unit(client, ada, plan, lead, other_division):
    from ...factories import PlanFactory

    ActionFactory(area=AreaFactory(plan=plan), number="1", timescale="March 2011", leads=[lead])
    ActionFactory(area=AreaFactory(plan=PlanFactory(title="Elsewhere", unit=other_division)), number="1", timescale="Ongoing")
    client.force_login(ada)
    dashboard = client.get(reverse("home")).context["dashboard"]
    assert dashboard.summary.total == 2 and dashboard.unit_pk is None


def test_an_officer_has_no_dashboard_and_a_manager_without_a_unit_is_told_why(client, olivia, mandy, action):
    client.force_login(olivia)
    assert client.get(reverse("home")).context["dashboard"] is None
    mandy.profile.unit = None
    mandy.profile.save()
    client.force_login(mandy)
    response = client.get(reverse("home"))
    assert response.context["dashboard"] is None
    assert "your profile has no organisation unit" in response.content.decode()


def test_an_action_naming_a_unit_of_its_own_counts_with_that_unit_not_with_its_plans(
    client, mandy, maurice, plan, division, other_division
):
    area = AreaFactory(plan=plan)
    ActionFactory(area=area, number="1", timescale="March 2011")  # Red, overdue: Mandy's, through the plan
    ActionFactory(area=area, number="2", timescale="March 2011", unit=other_division)  # Red: Maurice's own
    from ...factories import PlanFactory

    elsewhere = AreaFactory(plan=PlanFactory(title="Elsewhere", unit=other_division))
    ActionFactory(area=elsewhere, number="1", timescale="Ongoing", unit=division)  # Green: Mandy's own
    ActionFactory(area=elsewhere, number="2", timescale="Ongoing")  # Green: Maurice's, through the plan
    for manager, expected in [(mandy, {rag.RED: 1, rag.GREEN: 1}), (maurice, {rag.RED: 1, rag.GREEN: 1})]:
        client.force_login(manager)
        summary = client.get(reverse("home")).context["dashboard"].summary
        assert summary.counts == expected and summary.overdue == 1, manager
    # The lists behind the counts agree.
    client.force_login(mandy)
    rows = client.get(f"{reverse('action_list')}?unit={division.pk}").context["rows"]
    assert sorted((row.plan_title, row.number) for row in rows) == [("Elsewhere", "1"), ("Sefton improvement plan", "1")]


def test_the_counts_follow_a_plan_moved_to_another_unit_without_a_rating(client, mandy, plan, other_division):
    ActionFactory(area=AreaFactory(plan=plan), number="1", timescale="March 2011")
    client.force_login(mandy)
    assert client.get(reverse("home")).context["dashboard"].summary.total == 1
    type(plan).objects.filter(pk=plan.pk).update(unit=other_division)  # no action's state changes
    assert client.get(reverse("home")).context["dashboard"].summary.total == 0
