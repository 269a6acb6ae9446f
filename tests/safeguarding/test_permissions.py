"""Who may see a safeguarding team's figures and who may enter them: a table per role, no HTTP."""

import pytest

from safeguarding import permissions
from safeguarding.templatetags.safeguarding import sees_safeguarding

from ..factories import UserFactory

# name: (sees the team, enters its figures)
WHO_MAY = {
    "sally": (True, True),  # an officer of the team itself
    "olivia": (True, False),  # an officer of the division above the team
    "oscar": (True, False),
    "mandy": (True, True),  # the manager of the division above the team
    "dmitri": (True, True),  # the manager of the directorate
    "maurice": (False, False),  # a manager of another division
    "ada": (True, True),  # an admin
}


@pytest.mark.parametrize("name", WHO_MAY)
def test_who_may_see_and_enter(name, everyone, sally, team):
    user = {**everyone, "sally": sally}[name]
    sees, enters = WHO_MAY[name]
    assert (team in permissions.teams_visible_to(user)) is sees
    assert permissions.can_see(user, team) is sees
    assert permissions.can_enter(user, team) is enters
    assert sees_safeguarding(user) is sees


def test_someone_with_no_unit_and_an_inactive_user_see_nothing(team, sally):
    nobody = UserFactory(username="nobody")
    sally.is_active = False
    for user in (nobody, sally):
        assert list(permissions.teams_visible_to(user)) == []
        assert not permissions.can_enter(user, team)
        assert not sees_safeguarding(user)


def test_an_admin_is_offered_the_menu_before_any_team_exists(ada):
    assert sees_safeguarding(ada)  # the page then says how to set a team up
