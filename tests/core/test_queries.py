"""core.queries.Compiled: a queryset compiled once and run for other values, its rows as the ORM gives them."""

import datetime

import pytest
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.db import connection

from core.models import OrganisationUnit, Profile
from core.queries import Compiled

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def units_named(value):
    return OrganisationUnit.objects.filter(Q(pk=value) | Q(parent_id=value)).order_by("pk").values_list("pk", "name")


def test_rows_for_each_value_as_the_orm_gives_them():
    parent = OrganisationUnit.objects.create(name="Adult Social Care")
    child = OrganisationUnit.objects.create(name="Safeguarding", parent=parent)
    other = OrganisationUnit.objects.create(name="Public Health")
    query = Compiled(units_named)
    # The value is used twice in the SQL: both places take the new one.
    assert query.rows(parent.pk) == [list(row) for row in units_named(parent.pk)] == [[parent.pk, "Adult Social Care"], [child.pk, "Safeguarding"]]
    assert query.rows(other.pk) == [[other.pk, "Public Health"]]
    assert query.rows(0) == []


def test_values_are_converted_as_the_orm_converts_them():
    user = UserFactory(username="olivia", is_active=True)
    Profile.objects.create(user=user, role=Profile.OFFICER)
    query = Compiled(lambda pk: Profile.objects.filter(user_id=pk).values_list("user__date_joined", "user__is_active", "role"))
    [[joined, active, role]] = query.rows(user.pk)
    assert isinstance(joined, datetime.datetime) and joined.tzinfo is not None and joined == user.date_joined
    assert active is True and role == Profile.OFFICER


def test_one_query_a_run_and_the_value_bound_not_written_into_the_sql():
    query = Compiled(lambda name: OrganisationUnit.objects.filter(name=name).values_list("pk"))
    query.rows("warm")
    with CaptureQueriesContext(connection) as captured:
        assert query.rows("x'); DROP TABLE core_organisationunit; --") == []
    assert len(captured) == 1
    assert OrganisationUnit.objects.count() == 0  # the table is still there to count


def test_a_queryset_that_ignores_its_value_is_refused():
    with pytest.raises(ValueError, match="does not use the value"):
        Compiled(lambda value: OrganisationUnit.objects.values_list("pk")).rows(1)


def test_a_query_that_takes_no_value_is_compiled_once_and_reads_the_rows_of_the_moment():
    query = Compiled(lambda: OrganisationUnit.objects.values_list("pk", "name"), takes_value=False)
    first = OrganisationUnit.objects.create(name="Safeguarding")
    assert query.rows() == [[first.pk, "Safeguarding"]]
    second = OrganisationUnit.objects.create(name="Adult Social Care")
    with CaptureQueriesContext(connection) as captured:
        rows = query.rows()
    assert rows == [[second.pk, "Adult Social Care"], [first.pk, "Safeguarding"]]  # in the model's order, by name
    assert len(captured) == 1


def test_a_value_is_given_exactly_when_the_query_takes_one():
    with pytest.raises(TypeError):
        Compiled(units_named).rows()
    with pytest.raises(TypeError):
        Compiled(lambda: OrganisationUnit.objects.values_list("pk"), takes_value=False).rows(1)
