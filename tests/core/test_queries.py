"""core.queries.Compiled: a queryset compiled once and run for other values, its rows as the ORM gives them."""

import datetime

import pytest
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.db import connection

from core.models import OrganisationUnit, Profile, PublishedReport
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


def units_by_ids(ids):
    return OrganisationUnit.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "name")


def test_a_list_of_ids_is_compiled_once_for_lists_of_about_its_length():
    units = [OrganisationUnit.objects.create(name=f"Unit {number:02}") for number in range(9)]
    query = Compiled(units_by_ids)
    for count in range(1, 10):
        chosen = [unit.pk for unit in units[:count]][::-1]  # any order: the queryset orders its rows
        assert query.rows(chosen) == [list(row) for row in units_by_ids(chosen)]
        assert len(query.rows(chosen)) == count
    # 1, 2, 3-4, 5-8 and 9-16 ids: padded with the last id, the rows are the same.
    assert len(query._compiled) == 5
    assert query.rows((units[3].pk,)) == [[units[3].pk, "Unit 03"]]  # a tuple is a list too


def test_no_ids_read_no_rows_without_compiling():
    query = Compiled(units_by_ids)
    OrganisationUnit.objects.create(name="Safeguarding")
    with CaptureQueriesContext(connection) as captured:
        assert query.rows([]) == []
    assert len(captured) == 0 and query._compiled == {}


def test_several_values_of_each_kind_and_none_compiled_apart():
    parent = OrganisationUnit.objects.create(name="Adult Social Care")
    child = OrganisationUnit.objects.create(name="Safeguarding", parent=parent)
    other = OrganisationUnit.objects.create(name="Public Health")
    user = UserFactory()
    joined = user.date_joined.date()

    def build(ids, day, parent_id):
        units = OrganisationUnit.objects.filter(pk__in=ids)
        units = units.filter(parent__isnull=True) if parent_id is None else units.filter(parent_id=parent_id)
        return units.filter(
            pk__in=Profile.objects.filter(user__date_joined__date__gte=day).values("unit_id")
        ).values_list("name", flat=True)

    Profile.objects.create(user=user, unit=child, role=Profile.OFFICER)
    Profile.objects.create(user=UserFactory(), unit=other, role=Profile.OFFICER)
    query = Compiled(build)
    everyone = [parent.pk, child.pk, other.pk]
    assert query.rows(everyone, joined, parent.pk) == [["Safeguarding"]]
    assert query.rows(everyone, joined, None) == [["Public Health"]]
    assert query.rows(everyone, joined + datetime.timedelta(days=1), parent.pk) == []
    assert query.rows([other.pk], joined, None) == [["Public Health"]]


def test_a_shape_keyword_changes_the_sql_and_is_compiled_apart():
    first = OrganisationUnit.objects.create(name="Adult Social Care")
    second = OrganisationUnit.objects.create(name="Safeguarding")
    query = Compiled(lambda ids, descending: units_by_ids(ids).order_by("-name" if descending else "name"))
    assert query.rows([first.pk, second.pk], descending=True) == [[second.pk, "Safeguarding"], [first.pk, "Adult Social Care"]]
    assert query.rows([first.pk, second.pk], descending=False) == [[first.pk, "Adult Social Care"], [second.pk, "Safeguarding"]]


def test_a_value_changed_before_use_or_written_into_the_sql_is_refused():
    with pytest.raises(ValueError, match="changes value 1"):
        Compiled(lambda name: OrganisationUnit.objects.filter(name__icontains=name).values_list("pk")).rows("care")
    with pytest.raises(ValueError, match="writes a value into its SQL"):
        Compiled(lambda size: OrganisationUnit.objects.filter(pk__gt=size).values_list("pk")[: abs(size)]).rows(3)


def test_a_value_for_a_positive_integer_column_is_compiled():
    # Django compiles a number a column cannot hold (a negative id for a PositiveIntegerField) as matching nothing.
    assert Compiled(lambda subject: PublishedReport.objects.filter(subject_id=subject).values_list("pk")).rows(4) == []
