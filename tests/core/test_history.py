"""The general half of the change-history display (core.history): how values and people are written."""

import datetime

import pytest

from core.history import Change, display, newest_first, verbose_name, who
from core.models import OrganisationUnit, Profile

from ..factories import UserFactory


@pytest.mark.parametrize(
    "value, shown",
    [
        (None, "(blank)"),
        ("", "(blank)"),
        ("March 2011", "March 2011"),
        (0, "0"),
        (False, "False"),
        (datetime.date(2011, 3, 31), "2011-03-31"),
        (["DSVAB", "Olivia Officer"], "DSVAB, Olivia Officer"),
        ([], "(none)"),
    ],
)
def test_display(value, shown):
    assert display(value) == shown


@pytest.mark.parametrize(
    "first_name, last_name, username, shown",
    [
        ("Olivia", "Officer", "olivia", "Olivia Officer"),
        ("Olivia", "", "olivia", "Olivia"),
        ("", "", "olivia", "olivia"),
        # No user joined to the record: an import or a command made the change.
        (None, None, None, "System (import or command)"),
    ],
)
def test_who_is_the_full_name_or_else_the_username(first_name, last_name, username, shown):
    assert who(first_name, last_name, username) == shown


@pytest.mark.django_db
def test_who_agrees_with_djangos_full_name():
    user = UserFactory(username="olivia", first_name="Olivia", last_name="Officer")
    assert who(user.first_name, user.last_name, user.username) == user.get_full_name()


@pytest.mark.parametrize(
    "model, name, shown",
    [(OrganisationUnit, "short_name", "Short name"), (Profile, "unit", "Unit"), (Profile, "no_such_field", "No such field")],
)
def test_fields_are_named_as_the_model_names_them(model, name, shown):
    assert verbose_name(model, name) == shown


def test_newest_first():
    old, new = datetime.datetime(2010, 3, 1, 9), datetime.datetime(2011, 6, 1, 9)
    changes = [Change(old, "Ada Admin", "Plan created"), Change(new, "Mandy Manager", "Plan", "Title", "A", "B")]
    assert [change.when for change in newest_first(changes)] == [new, old]
