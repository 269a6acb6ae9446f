"""The performance dashboard (/performance/): who sees which indicators, what a row shows (RAG word and reason,
direction in words, the pro-rated target, the sparkline), the tiles and filters, a bad month as an error,
the download, and a fixed number of queries whatever the number of indicators and readings."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.periods import Month
from performance import state
from performance.models import Reading

from ...factories import IndicatorFactory, LeadFactory, TargetFactory
from ..test_selectors import monthly, rated
from ..test_spreadsheet import csv_bytes

pytestmark = pytest.mark.django_db

URL = "/performance/"
# Session, user, profile, units below the user's (2), months (3: the first and last stored, the latest with data),
# domains, the RAG counts, the page's rows (with their sparklines' trends and target notes): a fixed number,
# whatever the number of indicators and readings; and, for a manager, the performance reports published for meetings.
DASHBOARD_QUERIES = 12


@pytest.fixture
def indicators(division, other_division):
    made = {
        "green": rated("G 1", 31, division, domain="Carers", name="Carers assessed"),
        "amber": rated("A 1", 27, division, domain="Personalisation", name="Self-directed support"),
        "red": rated("R 1", 20, division, domain="Personalisation"),
        "other": rated("O 1", 31, other_division, domain="Carers"),
        "unowned": rated("U 1", 31, domain="Carers"),
    }
    summed = IndicatorFactory(
        code="S 1", unit_owner=division, unit="count", aggregation="sum", rated_figure="ytd", decimal_places=0,
        domain="Enablement",
    )
    TargetFactory(indicator=summed, financial_year=2013, target=1200, minimum_standard=1000)
    made["summed"] = monthly(summed, [100, 100, 100, 100, 100, 90])
    state.refresh()
    return made


def row_html(response, code):
    found = re.search(rf'<tr class="govuk-table__row" data-indicator="{re.escape(code)}">(.*?)</tr>', response.content.decode(), re.S)
    return found.group(1) if found else None


def shown_codes(response):
    return re.findall(r'data-indicator="([^"]+)"', response.content.decode())


def test_the_url_is_named():
    assert reverse("performance_dashboard") == URL


def test_anonymous_is_sent_to_sign_in(client):
    for query in ("", "?format=csv"):
        response = client.get(URL + query)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "person, codes",
    [
        ("olivia", ["G 1", "S 1", "A 1", "R 1"]),
        ("mandy", ["G 1", "S 1", "A 1", "R 1"]),
        ("maurice", ["O 1"]),
        ("dmitri", ["G 1", "O 1", "U 1", "S 1", "A 1", "R 1"]),
        ("ada", ["G 1", "O 1", "U 1", "S 1", "A 1", "R 1"]),
    ],
)
def test_each_person_sees_the_indicators_of_their_units(client, indicators, everyone, person, codes):
    client.force_login(everyone[person])
    response = client.get(URL)
    assert response.status_code == 200
    assert shown_codes(response) == codes  # by domain (Carers, Enablement, Personalisation), then code


def test_an_accountable_officer_sees_their_indicator_in_another_unit(client, indicators, olivia):
    indicators["other"].accountable = LeadFactory(user=olivia)
    indicators["other"].save()
    client.force_login(olivia)
    assert "O 1" in shown_codes(client.get(URL))


def test_a_row_shows_its_figures_rag_with_reason_and_direction_in_words(client, indicators, mandy):
    client.force_login(mandy)
    response = client.get(URL + "?period=2013-09")
    content = response.content.decode()
    assert 'href="/performance/" aria-current="page">Performance</a>' in content
    assert "As at the end of September 2013" in content
    amber = row_html(response, "A 1")
    assert f'href="/performance/indicators/{indicators["amber"].pk}/?period=2013-09">A 1</a>' in amber
    assert "Self-directed support" in amber
    assert (
        '<strong class="app-rag app-rag--amber">Amber</strong><span class="app-rag-reason">27.0% is below the target '
        "of 30.0% and at or above the minimum standard of 25.0%</span>"
    ) in amber
    assert '<span class="app-direction" aria-hidden="true">↑</span> better than August 2013' in amber
    assert 'role="img" aria-label="Trend over 12 months: 24.0% to 27.0%, better' in amber
    assert '<span class="app-figure-label">value</span>' in amber
    red = row_html(response, "R 1")
    assert '<span class="app-direction" aria-hidden="true">↓</span> worse than August 2013' in red
    summed = row_html(response, "S 1")
    # A sum rated on its year to date: the rated figure says so, the target is the year-to-date share.
    assert '590<span class="app-figure-label">YTD</span>' in summed
    assert '600<span class="app-figure-label">year to date: 6 of 12 months of 1,200</span>' in summed
    assert "the target for the year to date of 600 (6 of 12 months of 1,200)" in summed
    # Each domain is a table with a caption; columns are headed with scope.
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Enablement</caption>' in content
    assert '<th scope="col" class="govuk-table__header">Direction of travel</th>' in content
    assert "style=" not in re.sub(r"<head>.*?</head>", "", content, flags=re.S)


def test_the_tiles_count_each_colour_and_link_to_it(client, indicators, mandy):
    client.force_login(mandy)
    content = client.get(URL + "?period=2013-09").content.decode()
    tiles = dict(re.findall(r'data-colour="(\w+)"><a class="govuk-link app-count-link" href="([^"]+)"', content))
    counts = dict(re.findall(r'data-(?:colour|total)="(\w+)">.*?<span class="app-count">(\d+)</span>', content))
    assert counts == {"red": "1", "amber": "2", "green": "1", "grey": "0", "all": "4"}
    assert tiles["red"] == "?period=2013-09&amp;rag=red"
    red = client.get(URL + "?period=2013-09&rag=red")
    assert shown_codes(red) == ["R 1"]
    assert "1 indicator shown, only those rated Red." in red.content.decode()


def test_filters_by_unit_domain_and_colour(client, indicators, ada, other_division):
    client.force_login(ada)
    assert shown_codes(client.get(URL, {"unit": other_division.pk})) == ["O 1"]
    assert shown_codes(client.get(URL, {"domain": "Carers"})) == ["G 1", "O 1", "U 1"]
    assert shown_codes(client.get(URL, {"domain": "Carers", "rag": "green"})) == ["G 1", "O 1", "U 1"]
    assert shown_codes(client.get(URL, {"rag": "amber"})) == ["S 1", "A 1"]
    # A choice that is not one is said on the field and left out, as on the plans list.
    response = client.get(URL, {"unit": "999999", "rag": "blue"})
    assert response.status_code == 200
    assert "That organisation unit is not one of the choices" in response.content.decode()
    assert "That rag is not one of the choices" in response.content.decode()
    assert len(shown_codes(response)) == 6


@pytest.mark.parametrize(
    "period, error",
    [
        ("September", "Enter a month as a year and month, like 2013-09 (you entered “September”)"),
        ("Q2 2013/14", "Enter a month, like 2013-09, not a quarter or a year (you entered “Q2 2013/14”)"),
        ("2014-01", "Choose a month from April 2013 to September 2013: there are no figures for January 2014"),
    ],
)
def test_a_bad_month_is_an_error_on_the_field_never_another_month(client, indicators, mandy, period, error):
    client.force_login(mandy)
    response = client.get(URL, {"period": period})
    assert response.status_code == 400
    content = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in content
    assert f'<li><a href="#period">{error}</a></li>' in content
    assert f'<p class="govuk-error-message" id="period-error"><span class="govuk-visually-hidden">Error:</span> {error}</p>' in content
    assert "<title>Error: " in content
    assert shown_codes(response) == []
    download = client.get(URL, {"period": period, "format": "csv"})
    assert download.status_code == 400 and download.content.decode() == error


def test_the_csv_is_the_indicators_shown(client, indicators, mandy):
    client.force_login(mandy)
    response = client.get(URL + "?period=2013-09&format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="indicators-2013-09.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Code", "Name", "Period", "Value"]
    assert [row[0] for row in rows[1:]] == ["G 1", "S 1", "A 1", "R 1"]
    assert rows[2][4] == "590" and rows[2][7] == "600"
    filtered = client.get(URL + "?period=2013-09&rag=amber&format=csv")
    assert [row[0] for row in csv.reader(io.StringIO(filtered.content.decode("utf-8-sig")))][1:] == ["S 1", "A 1"]
    assert client.get(URL + "?format=xlsx").status_code == 200
    assert client.get(URL + "?format=pdf").status_code == 400
    page = client.get(URL + "?period=2013-09&rag=amber").content.decode()
    assert 'href="?period=2013-09&amp;rag=amber&amp;format=csv"' in page


def test_with_no_figures_the_page_says_so(client, olivia):
    client.force_login(olivia)
    response = client.get(URL)
    assert response.status_code == 200
    assert "There are no indicator figures yet" in response.content.decode()
    assert client.get(URL + "?period=2013-09").status_code == 400


def test_the_filters_and_menus_are_not_printed(client, indicators, olivia):
    client.force_login(olivia)
    content = client.get(URL).content.decode()
    assert '<form method="get" action="/performance/" class="app-no-print" id="dashboard-filters" novalidate>' in content


def make_large(division, indicators=40, months=24):
    """`indicators` monthly indicators with `months` of readings each, in three domains."""
    first = Month(2011, 10)
    for n in range(indicators):
        indicator = IndicatorFactory(code=f"Z {n:03d}", unit_owner=division, domain=f"Domain {n % 3}")
        for year in (2011, 2012, 2013):
            TargetFactory(indicator=indicator, financial_year=year, target=30, minimum_standard=25)
        Reading.objects.bulk_create(
            Reading(indicator=indicator, period_start=first.shift(m).start, value=20 + (n + m) % 12)
            for m in range(months)
        )
    state.refresh()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("query", ["?period=2013-09", "?rag=red&domain=Domain+1", "?format=csv"])
def test_a_fixed_number_of_queries_whatever_the_number_of_indicators(
    client, division, mandy, query, django_assert_max_num_queries
):
    for n, value in enumerate([27, 20, 31]):
        rated(f"Y {n}", value, division, domain=f"Domain {n}")  # a red in Domain 1, as the filter asks
    state.refresh()
    client.force_login(mandy)
    small = queries_of(client, URL + query)
    make_large(division)
    assert queries_of(client, URL + query) == small
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get(URL + query).status_code == 200


# --- The sparkline is stored with each month's figures: whatever changes them draws it again ------------------


def sparkline_label(client, code, period="2013-09"):
    found = re.search(r'role="img" aria-label="([^"]*)"', row_html(client.get(URL + f"?period={period}"), code))
    return found.group(1)


def test_the_sparkline_follows_a_reading_entered_on_the_data_entry_page(client, indicators, ada):
    from performance import services

    client.force_login(ada)
    assert sparkline_label(client, "A 1") == "Trend over 12 months: 24.0% to 27.0%, better (6 of 12 periods with no figure)"
    services.enter_readings(user=ada, entries=[(indicators["amber"], Month(2013, 9), {"value": 22})])
    assert sparkline_label(client, "A 1") == "Trend over 12 months: 24.0% to 22.0%, worse (6 of 12 periods with no figure)"
    # A month's trend reads the months before it: October's (the horizon moving on) ends with October's figure.
    services.enter_readings(user=ada, entries=[(indicators["amber"], Month(2013, 10), {"value": 29})])
    assert sparkline_label(client, "A 1", "2013-10") == (
        "Trend over 12 months: 24.0% to 29.0%, better (5 of 12 periods with no figure)"
    )
    # The others get October too, nobody touching them: their trend keeps the months before, October a gap.
    assert sparkline_label(client, "R 1", "2013-10") == (
        "Trend over 12 months: 24.0% to 20.0%, worse (6 of 12 periods with no figure)"
    )


def test_the_sparkline_follows_an_indicator_changed_in_admin(client, indicators, ada):
    """Its decimal places and unit are read as the page is drawn; its rated figure changes the figures stored."""
    amber = indicators["amber"]
    target = amber.targets.get()
    client.force_login(ada)
    response = client.post(f"/admin/performance/indicator/{amber.pk}/change/", {
        "code": amber.code, "name": amber.name, "definition": "", "unit": "number", "polarity": "higher",
        "frequency": "monthly", "aggregation": "mean", "rated_figure": "ytd", "decimal_places": "2",
        "accountable": "", "unit_owner": amber.unit_owner_id, "domain": amber.domain, "strategic_link": "",
        "data_notes": "", "targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "1", "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000", "targets-0-id": target.pk, "targets-0-indicator": amber.pk,
        "targets-0-financial_year": "2013", "targets-0-target": "30", "targets-0-minimum_standard": "25",
        "targets-0-monthly_profile": "null",
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    # The mean of April to September (24, 25, 26, 26, 26, 27) is 25.666…: the year to date from 24 to it.
    assert sparkline_label(client, "A 1") == "Trend over 12 months: 24.00 to 25.67, better (6 of 12 periods with no figure)"


def test_the_sparkline_follows_an_import(client, indicators, ada):
    from performance.spreadsheet import import_indicator_file

    client.force_login(ada)
    import_indicator_file(csv_bytes(["Code", "Period", "Value"], [["A 1", "2013-04", "21"], ["A 1", "2013-09", "28"]]),
                          "readings.csv")
    assert sparkline_label(client, "A 1") == "Trend over 12 months: 21.0% to 28.0%, better (6 of 12 periods with no figure)"
    headers = ["Code", "Name", "Unit", "Polarity", "Frequency", "Aggregation", "Rated figure", "Decimal places"]
    import_indicator_file(csv_bytes(headers, [["A 1", "Self-directed support", "percent", "lower", "monthly", "latest",
                                              "value", "2"]]), "indicators.csv")
    assert sparkline_label(client, "A 1") == "Trend over 12 months: 21.00% to 28.00%, worse (6 of 12 periods with no figure)"
