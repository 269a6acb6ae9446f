"""Named people with different rights, as healthchecks' alice/bob/charlie:

- olivia, an officer who leads `action` (and nothing else);
- oscar, an officer in the same unit who leads nothing;
- mandy, the manager of the division that owns the plan;
- maurice, a manager of another division;
- dmitri, the manager of the directorate above the division (sees it all below);
- ada, an admin (superuser).
"""

import datetime

import pytest

from core.models import OrganisationUnit, Profile

from .factories import ActionFactory, AreaFactory, LeadFactory, PlanFactory, ProfileFactory, UnitFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def directorate(db):
    return UnitFactory(name="Adult Social Care", level=OrganisationUnit.DIRECTORATE)


@pytest.fixture
def division(directorate):
    return UnitFactory(name="Older People and Physical Disability", short_name="OPPD", parent=directorate)


@pytest.fixture
def other_division(directorate):
    return UnitFactory(name="Learning Disability and Mental Health", short_name="LDMH", parent=directorate)


def _person(username, role, unit, **extra):
    user = UserFactory(username=username, **extra)
    ProfileFactory(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def olivia(division):
    return _person("olivia", Profile.OFFICER, division, first_name="Olivia", last_name="Officer")


@pytest.fixture
def oscar(division):
    return _person("oscar", Profile.OFFICER, division, first_name="Oscar", last_name="Other")


@pytest.fixture
def mandy(division):
    return _person("mandy", Profile.MANAGER, division, first_name="Mandy", last_name="Manager")


@pytest.fixture
def maurice(other_division):
    return _person("maurice", Profile.MANAGER, other_division, first_name="Maurice", last_name="Elsewhere")


@pytest.fixture
def dmitri(directorate):
    return _person("dmitri", Profile.MANAGER, directorate, first_name="Dmitri", last_name="Director")


@pytest.fixture
def ada(db):
    return UserFactory(username="ada", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def plan(division):
    return PlanFactory(title="Sefton improvement plan", unit=division, source_date=datetime.date(2010, 3, 31))


@pytest.fixture
def lead(olivia):
    return LeadFactory(name="Olivia Officer", initials="OO", user=olivia)


@pytest.fixture
def action(plan, lead):
    area = AreaFactory(plan=plan, title="Safeguarding adults")
    return ActionFactory(area=area, number="1", timescale="March 2011", leads=[lead])


@pytest.fixture
def everyone(olivia, oscar, mandy, maurice, dmitri, ada):
    return {"olivia": olivia, "oscar": oscar, "mandy": mandy, "maurice": maurice, "dmitri": dmitri, "ada": ada}
