"""Marking a milestone done, with its date: the action's leads, their managers and admins."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import Milestone
from core.periods import today

from ...factories import MilestoneFactory

pytestmark = pytest.mark.django_db

ALLOWED = {"olivia": True, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}


def url_of(milestone):
    return reverse("milestone_done", args=[milestone.pk])


def done_on(day):
    return {"completed_on_0": day.day, "completed_on_1": day.month, "completed_on_2": day.year}


@pytest.fixture
def milestone(action):
    return MilestoneFactory(action=action, activity="Agree the procedures with the board", date_text="June 2010")


@pytest.mark.parametrize("name, allowed", ALLOWED.items())
def test_who_may_mark_a_milestone_done(client, everyone, milestone, name, allowed):
    client.force_login(everyone[name])
    response = client.post(url_of(milestone), done_on(datetime.date(2010, 6, 20)))
    milestone.refresh_from_db()
    assert response.status_code == (302 if allowed else 403)
    assert (milestone.completed, milestone.completed_on) == (
        (True, datetime.date(2010, 6, 20)) if allowed else (False, None)
    )


def test_the_action_page_offers_it_for_open_milestones_only_and_shows_the_date(client, olivia, oscar, milestone, action):
    done = MilestoneFactory(action=action, activity="Audit", completed=True, completed_on=datetime.date(2010, 9, 1))
    client.force_login(olivia)
    page = client.get(action.get_absolute_url()).content.decode()
    assert f'action="{url_of(milestone)}"' in page and f'action="{url_of(done)}"' not in page
    assert "Yes, 1 Sep 2010" in page
    client.force_login(oscar)
    assert f'action="{url_of(milestone)}"' not in client.get(action.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (None, "Enter the date the milestone was done"),
        (today() + datetime.timedelta(days=1), "The date the milestone was done must be today or in the past"),
    ],
)
def test_a_wrong_date_is_said_on_the_action_page_and_saves_nothing(client, olivia, milestone, day, message):
    client.force_login(olivia)
    data = done_on(day) if day else {"completed_on_0": "", "completed_on_1": "", "completed_on_2": ""}
    response = client.post(url_of(milestone), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Milestone.objects.get(pk=milestone.pk).completed


def test_a_get_goes_to_the_action_page(client, olivia, milestone, action):
    client.force_login(olivia)
    response = client.get(url_of(milestone))
    assert response.status_code == 302 and response.url == action.get_absolute_url()


def test_the_change_history_says_who_marked_it_done(client, olivia, milestone, action):
    client.force_login(olivia)
    client.post(url_of(milestone), done_on(datetime.date(2010, 6, 20)))
    page = client.get(action.get_absolute_url()).content.decode()
    assert "Milestone “Agree the procedures with the board”" in page and "Date completed" in page
