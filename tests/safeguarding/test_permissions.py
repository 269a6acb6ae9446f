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


def menu_items(client):
    return client.get("/plans/").content.decode().count('href="/safeguarding/"')


def test_the_menu_is_worked_out_at_sign_in_and_again_every_few_minutes(client, maurice, division, time_machine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.models import Team
    from safeguarding.templatetags.safeguarding import MENU_KEPT_SECONDS

    time_machine.move_to("2026-12-06 10:00", tick=False)
    client.force_login(maurice)  # a manager of another division: no team of his yet
    with CaptureQueriesContext(connection) as asked:
        assert menu_items(client) == 0
    assert not [query for query in asked.captured_queries if "safeguarding_team" in query["sql"]]
    Team.objects.create(unit=maurice.profile.unit)
    assert menu_items(client) == 0  # kept from sign-in for a few minutes: the page itself checks every time
    time_machine.move_to(f"2026-12-06 10:{MENU_KEPT_SECONDS // 60:02d}:01", tick=False)
    assert menu_items(client) == 1
