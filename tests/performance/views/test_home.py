"""The home page: a manager's counts of actions and, beside them, of the indicators they see for the latest month."""

import datetime

import pytest

from performance import state

from ...factories import IndicatorFactory, ReadingFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(division, other_division):
    green = IndicatorFactory(code="G1", unit_owner=division)
    red = IndicatorFactory(code="R1", unit_owner=division)
    hidden = IndicatorFactory(code="H1", unit_owner=other_division)
    for indicator, value in [(green, 31), (red, 20), (hidden, 20)]:
        TargetFactory(indicator=indicator)
        ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 9, 1), value=value)
    state.refresh()


def test_a_manager_sees_the_indicator_counts_of_the_latest_month_each_linking_to_the_dashboard(client, mandy, rated):
    client.force_login(mandy)
    page = client.get("/").content.decode()
    assert "Performance indicators, September 2013" in page
    assert '<a class="govuk-link app-count-link" href="/performance/?period=2013-09&amp;rag=red"><span class="app-count">1</span> Red</a>' in page
    assert '<span class="app-count">1</span> Green' in page
    assert '<span class="app-count">2</span> Total indicators' in page  # not the other division's


def test_an_officer_home_shows_no_indicator_counts(client, olivia, rated):
    client.force_login(olivia)
    assert "Performance indicators" not in client.get("/").content.decode()


def test_with_no_figures_the_manager_is_told_so(client, mandy):
    client.force_login(mandy)
    assert "No indicator you see has figures yet" in client.get("/").content.decode()


@pytest.mark.parametrize("extra", [0, 30])
def test_the_counts_beside_the_actions_cost_two_queries_whatever_the_number_of_indicators(
    client, mandy, division, rated, extra, django_assert_max_num_queries
):
    for n in range(extra):
        ReadingFactory(indicator=IndicatorFactory(unit_owner=division), period_start=datetime.date(2013, 9, 1))
    state.refresh()
    client.force_login(mandy)
    client.get("/")
    with django_assert_max_num_queries(14):  # the plans' 12, then the latest month with data and its counts
        client.get("/")
