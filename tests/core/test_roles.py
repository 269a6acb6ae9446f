"""Who someone is in the directorate (core.roles): a table over the named people, no HTTP.

The directorate (dmitri) has two divisions: mandy's, with olivia and oscar in it and a
team below it, and maurice's. ada is an admin with no profile; nobody has an account
but no profile; inactive is a manager of mandy's division whose account is switched off.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from core import roles
from core.models import OrganisationUnit, Profile

from ..factories import ProfileFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(division):
    return UnitFactory(name="Safeguarding adults team", level=OrganisationUnit.TEAM, parent=division)


@pytest.fixture
def inactive(division):
    user = UserFactory(username="ian", is_active=False)
    ProfileFactory(user=user, role=Profile.MANAGER, unit=division)
    return user


@pytest.fixture
def nobody(db):
    return UserFactory(username="norman")


def person(request, name):
    if name == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(name)


def unit_names(ids):
    return set(OrganisationUnit.objects.filter(pk__in=ids).values_list("name", flat=True))


DIRECTORATE = "Adult Social Care"
DIVISION = "Older People and Physical Disability"
OTHER_DIVISION = "Learning Disability and Mental Health"
TEAM = "Safeguarding adults team"
EVERY_UNIT = {DIRECTORATE, DIVISION, OTHER_DIVISION, TEAM}

# name: (is_admin, is_manager, the units they manage, the units whose private data they may read)
ROLES = {
    "olivia": (False, False, set(), {DIVISION, TEAM}),
    "oscar": (False, False, set(), {DIVISION, TEAM}),
    "mandy": (False, True, {DIVISION, TEAM}, {DIVISION, TEAM}),
    "maurice": (False, True, {OTHER_DIVISION}, {OTHER_DIVISION}),
    "dmitri": (False, True, EVERY_UNIT, EVERY_UNIT),
    "ada": (True, False, set(), EVERY_UNIT),
    "nobody": (False, False, set(), set()),
    "inactive": (False, False, set(), set()),
    "anonymous": (False, False, set(), set()),
}


@pytest.mark.parametrize("name, expected", ROLES.items())
def test_roles_and_read_rule(request, team, other_division, name, expected):
    user = person(request, name)
    is_admin, is_manager, managed, visible = expected
    assert roles.is_admin(user) is is_admin
    assert roles.is_manager(user) is is_manager
    assert unit_names(roles.managed_unit_ids(user)) == managed
    assert set(roles.visible_to(user, OrganisationUnit.objects.all(), unit_field="pk").values_list("name", flat=True)) == visible


def test_visible_to_filters_by_the_named_field(mandy, maurice, team, other_division):
    people = Profile.objects.all()
    assert set(roles.visible_to(mandy, people).values_list("user__username", flat=True)) == {"mandy"}
    assert set(roles.visible_to(maurice, people).values_list("user__username", flat=True)) == {"maurice"}


def test_a_switched_off_admin_is_no_admin(db):
    user = UserFactory(username="former", is_superuser=True, is_staff=True, is_active=False)
    assert not roles.is_admin(user)
    assert not roles.visible_to(user, OrganisationUnit.objects.all()).exists()


def test_answers_are_cached_on_the_user(mandy, team, django_assert_num_queries):
    with django_assert_num_queries(2):  # the profile, then the units
        first = roles.managed_unit_ids(mandy)
    with django_assert_num_queries(0):
        assert roles.managed_unit_ids(mandy) == first
        assert roles.is_manager(mandy)
        assert roles.profile_of(mandy).unit.name == DIVISION
