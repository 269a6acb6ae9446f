"""Business plan monitoring (seed 001, 5.3): `selectors.business_plan_monitoring`, the demo data that
reproduces the seed's table, and the actions list's filters its numbers link to."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actionplans import rag, selectors, state
from actionplans.filters import ActionFilter
from actionplans.models import Action, Plan
from core.models import OrganisationUnit

from ..factories import ActionFactory, AreaFactory, PlanFactory, ProgressUpdateFactory, UnitFactory

pytestmark = pytest.mark.django_db

SEEDS = Path("/work/shared/seeds")
MID_YEAR = datetime.date(2013, 9, 30)


def line(row):
    return (row.division, row.priorities, row.actions, row.completed, row.on_course, row.delayed_or_cancelled,
            row.overall.label.upper() if row.overall else None)


def seed_table():
    """Seed 001's table 5.3 as printed: the division lines, then the directorate totals."""
    text = next(SEEDS.glob("001_*.txt")).read_text()
    divisions = [
        (name, *map(int, numbers), colour)
        for name, *numbers, colour in re.findall(r"^(SCS|OPPD|LDMH|SC)\t(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\w+)", text, re.M)
    ]
    totals = re.search(r"Overall RAG Directorate\s*\n\t(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\d+)\t(\w+)", text)
    return divisions, ("Directorate totals", *map(int, totals.groups()[:5]), totals.group(6))


def test_the_seed_table_is_read_as_the_issue_quotes_it():
    divisions, totals = seed_table()
    assert divisions == [
        ("SCS", 5, 18, 1, 17, 0, "AMBER"),
        ("OPPD", 6, 20, 2, 18, 0, "AMBER"),
        ("LDMH", 6, 19, 11, 8, 0, "AMBER"),
        ("SC", 14, 48, 11, 37, 0, "AMBER"),
    ]
    assert totals == ("Directorate totals", 31, 105, 25, 80, 0, "AMBER")


@pytest.mark.parametrize("day", [None, MID_YEAR])
def test_the_demo_data_reproduces_seed_001_table_5_3(day):
    call_command("seed_demo", stdout=io.StringIO())
    state.ensure_rated_today()
    table = selectors.business_plan_monitoring(day)
    divisions, totals = seed_table()
    assert [line(row) for row in table.rows] == divisions
    assert line(table.totals) == totals
    assert table.unowned is None
    # Each division is one of the FSC directorate's, named in full beside its short name.
    fsc = OrganisationUnit.objects.get(short_name="FSC")
    assert [OrganisationUnit.objects.get(pk=row.unit_pk).parent for row in table.rows] == [fsc] * 4
    assert [row.name for row in table.rows] == [
        "Specialist Children's Services", "Older People and Physical Disability",
        "Learning Disability and Mental Health", "Strategic Commissioning",
    ]


def test_the_demo_business_plans_name_the_seeds_priorities_and_mark_invented_actions():
    call_command("seed_demo", stdout=io.StringIO())
    seed = next(SEEDS.glob("001_*.txt")).read_text()
    plans = Plan.objects.filter(source=Plan.BUSINESS_PLAN)
    assert plans.count() == 4 and {plan.rag_scheme for plan in plans} == {rag.BUSINESS}
    oppd = plans.get(unit__short_name="OPPD")
    assert oppd.areas.first().title.startswith("Priority 1: Prevention")
    assert "Maintaining and Promoting Independence for service users" in seed
    # Actions the seed names carry its words; those it does not say they are demo data.
    named = Action.objects.get(plan=oppd, number="1.1")
    assert named.text in seed
    invented = Action.objects.filter(plan__source=Plan.BUSINESS_PLAN, expected_evidence__startswith="Demo data")
    assert invented.count() == 6  # five of SCS, and the one of the priority 13 the seed skips
    assert all(action.text not in seed for action in invented)
    assert Plan.objects.get(unit__short_name="SC").areas.filter(title__contains="Demo data").count() == 1
    # Every status is dated at mid-year by the plans, never by the day the command ran.
    updates = {update.date for action in Action.objects.filter(plan__in=plans) for update in action.progress_updates.all()}
    assert updates == {MID_YEAR}


def business_plan(unit, statuses, source=Plan.BUSINESS_PLAN, areas=1, **plan_fields):
    plan = PlanFactory(source=source, unit=unit, source_date=datetime.date(2013, 4, 1), **plan_fields)
    made_areas = [AreaFactory(plan=plan, title=f"Priority {n + 1}") for n in range(areas)]
    for n, status in enumerate(statuses):
        action = ActionFactory(area=made_areas[n % areas], number=str(n + 1), timescale="March 2014")
        if status:
            ProgressUpdateFactory(action=action, date=MID_YEAR, status=status)
    state.refresh()
    return plan


# The roll-up colour (DOMAIN.md "Actions", business plan scheme): Red if any is cancelled, else Amber
# if any is not completed, else Green; "delayed or cancelled" counts both.
OVERALL = [
    ([rag.COMPLETED], (1, 1, 0, 0), rag.GREEN),
    ([rag.COMPLETED, rag.COMPLETED], (2, 2, 0, 0), rag.GREEN),
    ([rag.COMPLETED, rag.ON_COURSE], (2, 1, 1, 0), rag.AMBER),
    ([rag.DELAYED], (1, 0, 0, 1), rag.AMBER),
    ([rag.COMPLETED, rag.DELAYED], (2, 1, 0, 1), rag.AMBER),
    ([""], (1, 0, 1, 0), rag.AMBER),  # no status reported: not yet completed, counted on course
    ([rag.CANCELLED], (1, 0, 0, 1), rag.RED),
    ([rag.COMPLETED, rag.CANCELLED], (2, 1, 0, 1), rag.RED),
    ([rag.ON_COURSE, rag.DELAYED, rag.CANCELLED], (3, 0, 1, 2), rag.RED),
]


@pytest.mark.parametrize("statuses, counts, colour", OVERALL)
def test_overall_rag(statuses, counts, colour):
    business_plan(UnitFactory(short_name="OPPD"), statuses)
    table = selectors.business_plan_monitoring()
    (row,) = table.rows
    assert (row.actions, row.completed, row.on_course, row.delayed_or_cancelled) == counts
    assert row.overall.colour == colour
    assert table.totals.overall.colour == colour


def test_totals_roll_up_every_division_and_the_worst_makes_the_directorate_colour():
    directorate = UnitFactory(name="FSC", level=OrganisationUnit.DIRECTORATE)
    green = UnitFactory(name="Alpha", parent=directorate)
    red = UnitFactory(name="Beta", parent=directorate)
    business_plan(green, [rag.COMPLETED] * 3, areas=2)
    business_plan(red, [rag.COMPLETED, rag.CANCELLED, rag.DELAYED, rag.ON_COURSE], areas=3)
    table = selectors.business_plan_monitoring()
    assert [line(row) for row in table.rows] == [("Alpha", 2, 3, 3, 0, 0, "GREEN"), ("Beta", 3, 4, 1, 1, 2, "RED")]
    assert line(table.totals) == ("Directorate totals", 5, 7, 4, 1, 2, "RED")
    assert table.totals.overall.reason == "1 of 7 actions cancelled"


def test_no_business_plans_gives_an_empty_unrated_table():
    business_plan(UnitFactory(), [rag.ON_TRACK], source=Plan.CQC_INSPECTION)
    table = selectors.business_plan_monitoring()
    assert table.rows == () and table.unowned is None
    assert line(table.totals) == ("Directorate totals", 0, 0, 0, 0, 0, None)


def test_only_business_plans_count_and_a_teams_actions_count_for_its_division():
    division = UnitFactory(name="Older People and Physical Disability", short_name="OPPD")
    team = UnitFactory(name="West Kent team", parent=division, level=OrganisationUnit.TEAM)
    business_plan(division, [rag.COMPLETED, rag.ON_COURSE])
    business_plan(team, [rag.DELAYED], areas=1)
    business_plan(division, [rag.ON_TRACK, rag.AT_RISK], source=Plan.CQC_INSPECTION)
    # An action answered for by a team of the division, in a plan of another unit: the division's.
    elsewhere = business_plan(UnitFactory(name="Elsewhere"), [rag.ON_COURSE])
    Action.objects.filter(plan=elsewhere).update(unit=team)
    table = selectors.business_plan_monitoring()
    assert [line(row) for row in table.rows] == [("OPPD", 3, 4, 1, 2, 1, "AMBER")]


def test_plans_with_no_unit_are_a_line_of_their_own():
    business_plan(UnitFactory(short_name="SC"), [rag.COMPLETED])
    business_plan(None, [rag.CANCELLED])
    table = selectors.business_plan_monitoring()
    assert line(table.unowned) == ("No owning unit", 1, 1, 0, 0, 1, "RED")
    assert line(table.totals) == ("Directorate totals", 2, 2, 1, 0, 1, "RED")


def test_as_at_a_day_counts_the_statuses_reported_by_then():
    plan = business_plan(UnitFactory(short_name="LDMH"), [rag.ON_COURSE, rag.ON_COURSE])
    first = plan.actions.get(number="1")
    ProgressUpdateFactory(action=first, date=datetime.date(2013, 12, 1), status=rag.COMPLETED)
    ProgressUpdateFactory(action=plan.actions.get(number="2"), date=datetime.date(2014, 1, 10), status=rag.CANCELLED)
    counts = lambda day: line(selectors.business_plan_monitoring(day).rows[0])[2:]
    assert counts(MID_YEAR) == (2, 0, 2, 0, "AMBER")
    assert counts(datetime.date(2013, 12, 1)) == (2, 1, 1, 0, "AMBER")
    assert counts(datetime.date(2014, 1, 10)) == (2, 1, 0, 1, "RED")
    assert counts(None) == counts(datetime.date(2014, 1, 10))
    # Before a plan's source date the plan did not exist.
    assert selectors.business_plan_monitoring(datetime.date(2013, 3, 31)).rows == ()


def test_a_completed_timescale_counts_as_completed_on_any_day():
    plan = business_plan(UnitFactory(short_name="SCS"), [""])
    Action.objects.filter(plan=plan).update(timescale_kind="completed")
    state.refresh()
    for day in (None, MID_YEAR):
        assert selectors.business_plan_monitoring(day).rows[0].completed == 1


@pytest.mark.parametrize("day", [None, MID_YEAR])
def test_a_fixed_number_of_queries_whatever_the_number_of_actions(day):
    divisions = [UnitFactory(short_name=name) for name in ("SCS", "OPPD")]
    business_plan(divisions[0], [rag.ON_COURSE, rag.COMPLETED])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            selectors.business_plan_monitoring(day)
        return len(captured)

    small = queries()
    for division in divisions:
        business_plan(division, [rag.ON_COURSE, rag.COMPLETED, rag.DELAYED, ""] * 10, areas=5)
    business_plan(UnitFactory(parent=divisions[1], level=OrganisationUnit.TEAM), [rag.CANCELLED] * 5)
    assert queries() == small == 2


# --- The actions list's filters the numbers link to ---------------------------------------------


def test_the_actions_list_filters_by_plan_source_and_by_the_dashboards_status_groups():
    division = UnitFactory(short_name="OPPD")
    business_plan(division, [rag.ON_COURSE, "", rag.DELAYED, rag.CANCELLED, rag.COMPLETED])
    business_plan(division, [rag.ON_TRACK, ""], source=Plan.CQC_INSPECTION)

    def found(**query):
        return sorted(
            (action.plan.source, action.current_status)
            for action in ActionFilter(query, queryset=Action.objects.all()).qs
        )

    assert len(found(source=Plan.BUSINESS_PLAN)) == 5
    assert found(source=Plan.BUSINESS_PLAN, status="delayed_or_cancelled") == [
        (Plan.BUSINESS_PLAN, rag.CANCELLED), (Plan.BUSINESS_PLAN, rag.DELAYED),
    ]
    assert found(source=Plan.BUSINESS_PLAN, status="on_course_or_none") == [
        (Plan.BUSINESS_PLAN, ""), (Plan.BUSINESS_PLAN, rag.ON_COURSE),
    ]
    assert found(status="on_course_or_none") == [
        (Plan.BUSINESS_PLAN, ""), (Plan.BUSINESS_PLAN, rag.ON_COURSE), (Plan.CQC_INSPECTION, ""),
    ]
    assert not ActionFilter({"source": "no such source"}, queryset=Action.objects.all()).is_valid()
