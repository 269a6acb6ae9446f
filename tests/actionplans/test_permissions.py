"""Who may update an action and who may sign off its completion: a table, no HTTP.

The views and templates ask `permissions.can_update` and `permissions.can_sign_off`;
the view tests check that they do, this file checks the answers for each named person.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from actionplans import services
from actionplans.permissions import can_sign_off, can_update
from core.models import Profile

from ..factories import LeadFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

# The action belongs to the plan of mandy's division; olivia leads it.
MAY_UPDATE = {
    "olivia": True,  # leads it
    "oscar": False,  # same unit, leads nothing
    "mandy": True,  # manages the plan's division
    "maurice": False,  # manages another division
    "dmitri": True,  # manages the directorate above
    "ada": True,  # admin
    "inactive": False,  # a lead and manager of the division whose account is switched off
    "anonymous": False,
}
# Once olivia has proposed its completion.
MAY_SIGN_OFF = {
    "olivia": False,
    "oscar": False,
    "mandy": True,
    "maurice": False,
    "dmitri": True,
    "ada": True,
    "inactive": False,
    "anonymous": False,
}


@pytest.fixture
def inactive(division, action):
    user = UserFactory(username="ian", first_name="Ian", last_name="Left", is_active=False)
    ProfileFactory(user=user, role=Profile.MANAGER, unit=division)
    action.leads.add(LeadFactory(name="Ian Left", user=user))
    return user


def person(request, name):
    if name == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(name)


@pytest.mark.parametrize("name, allowed", MAY_UPDATE.items())
def test_who_may_update_an_action(request, action, name, allowed):
    assert can_update(person(request, name), action) is allowed


@pytest.mark.parametrize("name, allowed", MAY_SIGN_OFF.items())
def test_who_may_sign_off_a_proposed_completion(request, olivia, action, name, allowed):
    services.propose_completion(action=action, author=olivia, narrative="Audit complete")
    action.refresh_from_db()
    assert can_sign_off(person(request, name), action) is allowed


@pytest.mark.parametrize(
    "proposer, allowed",
    [("mandy", False), ("dmitri", False), ("ada", True)],
)
def test_nobody_but_an_admin_signs_off_their_own_proposal(request, action, proposer, allowed):
    user = person(request, proposer)
    services.propose_completion(action=action, author=user, narrative="Done")
    action.refresh_from_db()
    assert can_sign_off(user, action) is allowed


def test_another_manager_above_may_sign_off_a_managers_proposal(mandy, dmitri, action):
    services.propose_completion(action=action, author=mandy, narrative="Done")
    action.refresh_from_db()
    assert (can_sign_off(mandy, action), can_sign_off(dmitri, action)) == (False, True)


# An action given to another division (Action.unit) answers to that division's manager,
# not to the manager of the plan's division.
ACTION_OF_ANOTHER_DIVISION = {
    "olivia": (True, False),
    "oscar": (False, False),
    "mandy": (False, False),
    "maurice": (True, True),
    "dmitri": (True, True),
    "ada": (True, True),
}


@pytest.mark.parametrize("name, expected", ACTION_OF_ANOTHER_DIVISION.items())
def test_an_action_given_to_another_unit_answers_to_its_manager(request, olivia, other_division, action, name, expected):
    action.unit = other_division
    action.save()
    services.propose_completion(action=action, author=olivia, narrative="Done")
    action.refresh_from_db()
    user = person(request, name)
    assert (can_update(user, action), can_sign_off(user, action)) == expected
