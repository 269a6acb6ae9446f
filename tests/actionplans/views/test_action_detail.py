"""The action page: what the action says, its state today, milestones, progress and history,
and the forms of those who may use them."""

import datetime

import pytest
from django.urls import reverse

from actionplans import rag, services
from core.periods import today

from ...factories import ActionFactory, AreaFactory, LeadFactory, MilestoneFactory, ProgressUpdateFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

ALLOWED_TO_UPDATE = {"olivia": True, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}
ALLOWED_TO_SIGN_OFF = {"olivia": False, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}


def page_of(client, action):
    return client.get(reverse("action_detail", args=[action.pk])).content.decode()


@pytest.mark.parametrize("name", ["olivia", "oscar", "mandy", "maurice", "dmitri", "ada"])
def test_everyone_signed_in_may_read_it(client, everyone, action, name):
    client.force_login(everyone[name])
    response = client.get(reverse("action_detail", args=[action.pk]))
    assert response.status_code == 200
    assert "Action 1" in response.content.decode()


def test_anonymous_goes_to_login(client, action):
    for url in (reverse("action_detail", args=[action.pk]), "/actions/1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")


def test_absent_action_is_404(client, olivia, action):
    client.force_login(olivia)
    assert client.get(reverse("action_detail", args=[action.pk + 1000])).status_code == 404


def test_shows_the_action_its_state_milestones_and_progress(client, oscar, plan, lead):
    area = AreaFactory(plan=plan, title="Safeguarding adults")
    recommendation = RecommendationFactory(plan=plan, area=area, number="4", text="Improve the practice of risk assessment")
    other = ActionFactory(area=area, recommendation=recommendation, number="4.2", timescale="Ongoing")
    action = ActionFactory(
        area=area, recommendation=recommendation, number="4.1", text="Audit the risk assessment tool",
        expected_evidence="Audit report to the board", timescale=f"December {today().year + 1}",
        leads=[lead, LeadFactory(name="DSVAB")], cross_reference=other,
    )
    MilestoneFactory(action=action, activity="Draft audit tool", date_text="June 2011", completed=True)
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 9, 30), status=rag.AT_RISK, narrative="Board has not met")
    client.force_login(oscar)
    page = page_of(client, action)
    for shown in [
        "Sefton improvement plan", "Action 4.1", "Safeguarding adults", "Improve the practice of risk assessment",
        "Audit the risk assessment tool", "Audit report to the board", "DSVAB; Olivia Officer (OO)",
        f"December {today().year + 1}", "At risk, as reported by the lead", "Draft audit tool", "Board has not met",
        "30 September 2010 · At risk", f'href="{reverse("action_detail", args=[other.pk])}"',
    ]:
        assert shown in page, shown
    assert f'href="{reverse("action_detail", args=[action.pk])}">action 4.1</a>' in page_of(client, other)  # referred to by


def test_an_action_with_nothing_yet_says_so(client, oscar, action):
    client.force_login(oscar)
    page = page_of(client, action)
    assert "No milestones." in page and "No progress reported yet." in page
    assert "Past its due date of 31 Mar 2011 and not completed" in page


def test_forms_are_shown_only_to_those_who_may_use_them(client, everyone, action):
    for name, allowed in ALLOWED_TO_UPDATE.items():
        client.force_login(everyone[name])
        page = client.get(reverse("action_detail", args=[action.pk])).content.decode()
        assert ('action="/actions/%d/progress/"' % action.pk in page) == allowed, name
        assert (f'action="{reverse("action_propose_completion", args=[action.pk])}"' in page) == allowed, name
        assert ("Only the action's leads, their managers and admins can update this action." in page) != allowed, name


def test_the_sign_off_form_is_shown_only_once_proposed_and_only_to_those_who_may_sign_off(client, everyone, action):
    sign_off = f'action="{reverse("action_sign_off", args=[action.pk])}"'
    client.force_login(everyone["mandy"])
    assert sign_off not in page_of(client, action)
    services.propose_completion(action=action, author=everyone["olivia"], narrative="Done")
    for name, allowed in ALLOWED_TO_SIGN_OFF.items():
        client.force_login(everyone[name])
        page = page_of(client, action)
        assert (sign_off in page) == allowed, name
        assert "Completion proposed" in page
        # Once proposed, nobody proposes it again.
        assert f'action="{reverse("action_propose_completion", args=[action.pk])}"' not in page, name


def test_a_completed_action_takes_notes_but_offers_no_status_or_proposal(client, olivia, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2011, 1, 1), status=rag.COMPLETED)
    client.force_login(olivia)
    response = client.get(reverse("action_detail", args=[action.pk]))
    assert "status" not in response.context["progress_form"].fields
    assert "propose_form" not in response.context
