"""The data entry page: who may enter, what it shows, validation that saves nothing, and a fixed query count."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from performance.models import Figure, Reading

from ...factories import IndicatorFactory, LeadFactory, ReadingFactory, TargetFactory

pytestmark = pytest.mark.django_db
URL = "/performance/entry/"


@pytest.fixture(autouse=True)
def december_2013():
    with time_machine.travel(datetime.datetime(2013, 12, 4, 12, 0), tick=False):
        yield


@pytest.fixture
def indicators(olivia, division, other_division):
    lead = LeadFactory(name="Head of Performance", user=olivia)
    percent = IndicatorFactory(code="NI 130", name="Self-directed support", accountable=lead, unit_owner=division,
                               aggregation="ratio", rated_figure="value")
    count = IndicatorFactory(code="C72", name="Admissions", unit="count", polarity="lower", aggregation="sum",
                             decimal_places=0, accountable=lead, unit_owner=division)
    elsewhere = IndicatorFactory(code="D55", name="Elsewhere", unit_owner=other_division)
    TargetFactory(indicator=percent, financial_year=2013, target=30, minimum_standard=25)
    return percent, count, elsewhere


def post(client, indicators, **values):
    data = {"period": "2013-11"}
    for indicator in indicators:
        for name in ("value", "numerator", "denominator", "note"):
            data[f"i{indicator.pk}-{name}"] = values.get(f"{indicator.code} {name}", "")
    return client.post(URL + "?period=2013-11", data)


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(URL)["Location"].startswith("/login/")


def test_the_accountable_officer_sees_their_indicators_only(client, olivia, indicators):
    client.force_login(olivia)
    page = client.get(URL + "?period=2013-11").content.decode()
    assert "NI 130 Self-directed support: November 2013" in page
    assert "C72 Admissions" in page
    assert "D55" not in page


def test_a_manager_enters_for_their_units_and_an_admin_for_all(client, mandy, maurice, ada, indicators):
    client.force_login(mandy)
    page = client.get(URL).content.decode()
    assert "NI 130" in page and "D55" not in page
    client.force_login(maurice)
    page = client.get(URL).content.decode()
    assert "D55" in page and "NI 130" not in page
    client.force_login(ada)
    page = client.get(URL).content.decode()
    assert all(code in page for code in ("NI 130", "C72", "D55"))


def test_someone_with_no_indicators_is_told_why(client, oscar, indicators):
    client.force_login(oscar)
    page = client.get(URL).content.decode()
    assert "You are not the accountable officer for any indicator" in page


def test_the_default_month_is_last_month(client, olivia, indicators):
    client.force_login(olivia)
    assert "for November 2013" in client.get(URL).content.decode()


def test_saving_a_month_stores_readings_and_their_figures(client, olivia, indicators):
    percent, count, _ = indicators
    client.force_login(olivia)
    response = post(client, [percent, count], **{"NI 130 numerator": "27", "NI 130 denominator": "100",
                                                  "C72 value": "12", "C72 note": "From the return"})
    assert response.status_code == 302
    saved = Reading.objects.get(indicator=percent)
    assert (saved.value, saved.numerator, saved.entered_by) == (Decimal(27), Decimal(27), olivia)
    assert Reading.objects.get(indicator=count).note == "From the return"
    figure = Figure.objects.get(indicator=percent, month=datetime.date(2013, 11, 1))
    assert figure.rag_colour == "amber"
    assert "27.0% is below the target of 30.0%" in figure.rag_reason
    assert "Saved 2 readings for November 2013" in client.get(response["Location"]).content.decode()


def test_one_bad_value_saves_nothing_and_says_which(client, olivia, indicators):
    percent, count, _ = indicators
    client.force_login(olivia)
    response = post(client, [percent, count], **{"NI 130 value": "120", "C72 value": "12"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem: nothing was saved" in page
    assert "NI 130, value: 120 is not a percentage from 0 to 100" in page
    assert f'href="#i{percent.pk}-value"' in page
    assert 'value="12"' in page  # what was typed is kept
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    "values, message",
    [
        ({"NI 130 numerator": "30", "NI 130 denominator": "20"}, "30 is more than its denominator of 20"),
        ({"NI 130 numerator": "30"}, "Is needed too"),
        ({"NI 130 value": "ten"}, "Enter a number."),
    ],
)
def test_other_bad_rows(client, olivia, indicators, values, message):
    client.force_login(olivia)
    response = post(client, indicators[:2], **values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Reading.objects.exists()


def test_a_future_month_is_refused(client, olivia, indicators):
    client.force_login(olivia)
    response = client.get(URL + "?period=2014-01")
    assert response.status_code == 400
    assert "January 2014 has not begun yet" in response.content.decode()
    assert client.get(URL + "?period=garbage").status_code == 400


def test_an_indicator_not_theirs_is_never_saved_through_the_page(client, olivia, indicators):
    percent, count, elsewhere = indicators
    client.force_login(olivia)
    post(client, [percent, count, elsewhere], **{"D55 value": "50", "C72 value": "3"})
    assert not Reading.objects.filter(indicator=elsewhere).exists()
    assert Reading.objects.filter(indicator=count).exists()


def test_unchanged_rows_write_nothing(client, olivia, indicators):
    percent, count, _ = indicators
    ReadingFactory(indicator=count, period_start=datetime.date(2013, 11, 1), value=12, entered_by=None)
    client.force_login(olivia)
    post(client, [percent, count], **{"C72 value": "12"})
    reading = Reading.objects.get(indicator=count)
    assert reading.entered_by is None and reading.history.count() == 1


def test_a_quarterly_indicator_enters_the_last_quarter_ended(client, olivia, indicators):
    quarterly = IndicatorFactory(code="Q1X", frequency="quarterly", accountable=indicators[0].accountable)
    client.force_login(olivia)
    assert f"Q1X {quarterly.name}: Q2 2013/14" in client.get(URL + "?period=2013-11").content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_a_fixed_number_of_queries(client, olivia, indicators, count, django_assert_max_num_queries):
    lead = indicators[0].accountable
    for n in range(count):
        indicator = IndicatorFactory(accountable=lead)
        # Entered by someone: the page names who, without a query each.
        ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 11, 1), entered_by=olivia)
    client.force_login(olivia)
    client.get(URL)
    with django_assert_max_num_queries(9):
        assert client.get(URL + "?period=2013-11").status_code == 200
