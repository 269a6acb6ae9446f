""""As at" a day: reading the day asked for, and wording as it stood on that day.

`core.asat` holds the general half (parse_day, wording_on); `actionplans.asat.restore_wording`
applies it to actions and recommendations from their change history.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from actionplans.asat import restore_wording
from actionplans.models import Action, Recommendation
from core.asat import AsAtError, parse_day, wording_on
from core.periods import today

from ..factories import ActionFactory, AreaFactory, RecommendationFactory

D = datetime.date


def at(year, month, day, hour=12, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("2010-03-31", D(2010, 3, 31)),
        (" 2010-03-31 ", D(2010, 3, 31)),
        ("2012-02-29", D(2012, 2, 29)),
        ("1990-01-01", D(1990, 1, 1)),
    ],
)
def test_parse_day_reads_blank_and_real_dates(value, expected):
    assert parse_day(value) == expected


@pytest.mark.parametrize(
    "value, message",
    [
        ("2010-02-31", "Enter a real date, written as YYYY-MM-DD"),
        ("2011-02-29", "Enter a real date"),
        ("2010-13-01", "Enter a real date"),
        ("31/03/2010", "Enter a real date"),
        ("yesterday", "Enter a real date"),
        ("2010-3-31x", "Enter a real date"),
        ("1989-12-31", "The date must be 1 January 1990 or later"),
        ("0001-01-01", "1 January 1990 or later"),
    ],
)
def test_parse_day_refuses_impossible_garbage_and_ancient_dates(value, message):
    with pytest.raises(AsAtError, match=message):
        parse_day(value)


def test_an_as_at_error_is_a_value_error():
    assert issubclass(AsAtError, ValueError)


# One object's history: loaded on 1 March 2010, reworded at 09:00 on 1 June 2011, again on 1 January 2012.
RECORDS = [
    SimpleNamespace(history_date=at(2010, 3, 1), text="Review the audit tool", timescale="March 2011"),
    SimpleNamespace(history_date=at(2011, 6, 1, 9), text="Review and relaunch the audit tool", timescale="March 2011"),
    SimpleNamespace(history_date=at(2012, 1, 1), text="Relaunch the audit tool", timescale="June 2012"),
]


@pytest.mark.parametrize(
    "day, text, timescale",
    [
        (D(2009, 1, 1), "Review the audit tool", "March 2011"),  # before it was loaded: its first wording
        (D(2010, 3, 1), "Review the audit tool", "March 2011"),
        (D(2011, 5, 31), "Review the audit tool", "March 2011"),
        (D(2011, 6, 1), "Review and relaunch the audit tool", "March 2011"),  # the end of the day counts
        (D(2011, 12, 31), "Review and relaunch the audit tool", "March 2011"),
        (D(2012, 1, 1), "Relaunch the audit tool", "June 2012"),
        (D(2020, 1, 1), "Relaunch the audit tool", "June 2012"),
    ],
)
def test_wording_on_a_day(day, text, timescale):
    assert wording_on(RECORDS, day, ["text", "timescale"]) == {"text": text, "timescale": timescale}


def test_wording_on_a_day_with_no_history_is_none():
    assert wording_on([], D(2011, 1, 1), ["text"]) is None


@pytest.fixture
def reworded(plan, lead):
    """An action and its recommendation loaded on 1 March 2010 and reworded on 1 June 2011."""
    area = AreaFactory(plan=plan)
    recommendation = RecommendationFactory(plan=plan, area=area, number="3", text="Improve risk assessment")
    action = ActionFactory(area=area, recommendation=recommendation, number="3.1", text="Review the audit tool",
                           timescale="March 2011", leads=[lead])
    Action.history.filter(id=action.pk).update(history_date=at(2010, 3, 1))
    Recommendation.history.filter(id=recommendation.pk).update(history_date=at(2010, 3, 1))
    action.text, action.timescale = "Relaunch the audit tool", "March 2012"
    action.save()
    recommendation.text = "Improve and audit risk assessment"
    recommendation.save()
    Action.history.filter(id=action.pk, history_date__gt=at(2010, 3, 2)).update(history_date=at(2011, 6, 1))
    Recommendation.history.filter(id=recommendation.pk, history_date__gt=at(2010, 3, 2)).update(history_date=at(2011, 6, 1))
    return action, recommendation


@pytest.mark.parametrize(
    "day, text, timescale, due_date, recommendation_text",
    [
        (D(2011, 1, 1), "Review the audit tool", "March 2011", D(2011, 3, 31), "Improve risk assessment"),
        (D(2011, 6, 1), "Relaunch the audit tool", "March 2012", D(2012, 3, 31), "Improve and audit risk assessment"),
    ],
)
def test_restore_wording_from_the_history(reworded, django_assert_num_queries, day, text, timescale, due_date,
                                          recommendation_text):
    action, recommendation = reworded
    action, recommendation = Action.objects.get(pk=action.pk), Recommendation.objects.get(pk=recommendation.pk)
    with django_assert_num_queries(2):  # one for the actions' history, one for the recommendations'
        restore_wording([action], [recommendation], day)
    # The due date goes with the timescale, so an old timescale is rated against its old due date.
    assert (action.text, action.timescale, action.due_date) == (text, timescale, due_date)
    assert recommendation.text == recommendation_text


def test_restore_wording_for_today_reads_nothing_and_changes_nothing(reworded, django_assert_num_queries):
    action, recommendation = reworded
    with django_assert_num_queries(0):
        restore_wording([action], [recommendation], today())
    assert (action.text, recommendation.text) == ("Relaunch the audit tool", "Improve and audit risk assessment")
