"""Safeguarding people and data, beside the named users of tests/conftest.py:

- the safeguarding team is a unit under `division` (mandy manages it from above; dmitri from the directorate);
- sally, an officer of the team itself (she enters its figures);
- olivia and oscar, officers of the division above it, see it but do not enter; maurice, a manager of another
  division, sees nothing of it.
"""

import datetime
import io

import pytest
from django.core.management import call_command

from core.models import OrganisationUnit, Profile
from core.periods import parse_period
from safeguarding import services
from safeguarding.models import Category, QuarterlyReturn

from ..factories import ProfileFactory, UnitFactory, UserFactory

SEED_QUARTER = parse_period("2009/10 Q4")


@pytest.fixture
def team_unit(division):
    return UnitFactory(name="Safeguarding Adults Team", level=OrganisationUnit.TEAM, parent=division)


@pytest.fixture
def team(team_unit):
    return services.set_up_team(unit=team_unit)


@pytest.fixture
def sally(team_unit):
    user = UserFactory(username="sally", first_name="Sally", last_name="Safeguarding")
    ProfileFactory(user=user, role=Profile.OFFICER, unit=team_unit)
    return user


@pytest.fixture
def category():
    """The category of `breakdown` named `name` (the lists are loaded by the data migration)."""
    return lambda breakdown, name: Category.objects.get(breakdown=breakdown, name=name)


@pytest.fixture
def quarter_of(team, category, ada):
    """Save figures for a quarter: quarter_of("2009/10 Q3", total=10, source={"Police": 10}, …)."""

    def make(label, **figures):
        counts = {}
        for key, value in figures.items():
            if isinstance(value, dict):
                for name, count in value.items():
                    counts[(key, category(key, name))] = count
            else:
                counts[(key, None)] = value
        return services.save_quarter(team=team, quarter=parse_period(label), user=ada, counts=counts)

    return make


@pytest.fixture
def seeded(db, time_machine):
    """seed_demo's Sefton units and seed_safeguarding's team, seed 004's quarter and the demo history."""
    time_machine.move_to(datetime.datetime(2010, 5, 26, 9, 0), tick=False)  # the day of the Cabinet Member's meeting
    directorate = UnitFactory(name="Adult Social Care Directorate", level=OrganisationUnit.DIRECTORATE)
    UnitFactory(name="Sefton Adult Social Care", level=OrganisationUnit.DIVISION, parent=directorate)
    call_command("seed_safeguarding", stdout=io.StringIO())
    return QuarterlyReturn.objects.get(quarter_start=SEED_QUARTER.start).team


@pytest.fixture
def mandy_of_sefton(seeded):
    """A manager of the Sefton division above the seeded team."""
    user = UserFactory(username="manon")
    ProfileFactory(user=user, role=Profile.MANAGER, unit=OrganisationUnit.objects.get(name="Sefton Adult Social Care"))
    return user
