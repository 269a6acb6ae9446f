"""The models' own checks (what Django admin applies): a reading's period and figures, an indicator's frequency."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from performance import state
from performance.models import Figure, Reading, trend_points, trend_text

from ..factories import IndicatorFactory, ReadingFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def december_2013():
    with time_machine.travel(datetime.datetime(2013, 12, 5, 12, 0), tick=False):
        yield


@pytest.mark.parametrize(
    "frequency, fields, message",
    [
        ("quarterly", {"period_start": datetime.date(2013, 5, 1)}, "starts on the first day of its period: 1 April 2013"),
        ("monthly", {"value": 150}, "150 is not a percentage from 0 to 100"),
        ("monthly", {"value": None, "numerator": 30, "denominator": 20}, "30 is more than its denominator of 20"),
        ("monthly", {"period_start": datetime.date(2014, 2, 1)}, "February 2014 has not begun yet"),
        ("annual", {"period_start": datetime.date(2013, 4, 1)}, "2013/14 has not ended yet"),
    ],
)
def test_a_reading_admin_would_save_is_checked_as_an_import_would(frequency, fields, message):
    reading = Reading(indicator=IndicatorFactory(frequency=frequency), **({"period_start": datetime.date(2013, 4, 1),
                                                                          "value": 27} | fields))
    with pytest.raises(ValidationError) as raised:
        reading.full_clean()
    assert message in str(raised.value)


def test_a_good_reading_is_clean():
    Reading(indicator=IndicatorFactory(), period_start=datetime.date(2013, 9, 1), value=27).full_clean()


def test_an_indicator_with_readings_cannot_change_its_frequency_in_admin():
    indicator = IndicatorFactory(frequency="monthly")
    ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 4, 1))
    indicator.frequency = "quarterly"
    with pytest.raises(ValidationError) as raised:
        indicator.full_clean()
    assert "its frequency cannot change" in str(raised.value)
    fresh = IndicatorFactory(frequency="monthly")
    fresh.frequency = "quarterly"
    fresh.full_clean()


def test_moving_a_reading_to_another_indicator_in_admin_works_out_both_again(client, ada):
    first, second = IndicatorFactory(code="A 1"), IndicatorFactory(code="B 1")
    TargetFactory(indicator=first)
    reading = ReadingFactory(indicator=first, period_start=datetime.date(2013, 9, 1), value=27)
    state.refresh()
    client.force_login(ada)
    response = client.post(f"/admin/performance/reading/{reading.pk}/change/", {
        "indicator": second.pk, "period_start": "2013-09-01", "value": "27", "numerator": "", "denominator": "",
        "note": "", "entered_by": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Figure.objects.filter(indicator=first).exists()
    assert Figure.objects.filter(indicator=second).exists()


@pytest.mark.parametrize("value, clean", [("70.4", True), ("70.400000", True), ("70.40293", True), ("72", False)])
def test_a_value_beside_its_counts_must_be_theirs(value, clean):
    reading = Reading(indicator=IndicatorFactory(aggregation="ratio"), period_start=datetime.date(2013, 9, 1),
                      value=Decimal(value), numerator=1922, denominator=2730)
    if clean:
        reading.full_clean()
    else:
        with pytest.raises(ValidationError) as raised:
            reading.full_clean()
        assert "72 is not what its numerator and denominator give (1922 of 2730 is 70.40)" in str(raised.value)


@pytest.mark.parametrize(
    "points, text",
    [
        ((), "[]"),
        ((None,), "[null]"),
        ((Decimal("24.500000"), None, Decimal("2400.000000"), Decimal("0.000001"), Decimal("-3")),
         "[24.5,null,2400,0.000001,-3]"),
        ((Decimal("123456789012345678.123456"),), "[123456789012345678.123456]"),  # exact, as no float would keep it
    ],
)
def test_a_trend_is_kept_as_text_and_read_back_exactly(points, text):
    assert trend_text(points) == text
    assert trend_points(text) == points
    assert all(isinstance(point, Decimal) for point in trend_points(text) if point is not None)
