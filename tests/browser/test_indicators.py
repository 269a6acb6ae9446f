"""Performance indicators in Chromium: the dashboard (/performance/), the indicator page, data entry and the
manager's home page with its indicator counts.

- Journey 8a: a manager follows a RAG count from her home page to the dashboard, reads a row, chooses another
  month and a domain, and opens an indicator: its chart, the data table, the benchmarks ranked, a linked action.
- Journey 8b: an accountable officer enters a month's readings with the keyboard, one of them impossible, is
  shown the error summary, follows it to the field, corrects it and saves; the dashboard shows the new figure.
- axe (via check_page) and the enforced Content-Security-Policy on every state of those pages, and a phone-width
  check (390 px) that the page body never scrolls sideways.

The figures are for the financial year 2013/14 (readings April to September 2013), built with the factories.
"""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest

from performance import state

from ..factories import (
    BenchmarkFactory,
    ComparatorFactory,
    IndicatorFactory,
    LeadFactory,
    ReadingFactory,
    TargetFactory,
)
from .conftest import assert_no_axe_violations, check_page, enforcing_page, login, screenshot, tab_to

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

APRIL_2013 = datetime.date(2013, 4, 1)


def path_of(page):
    return urlparse(page.url).path


def query_of(page):
    return {name: values[0] for name, values in parse_qs(urlparse(page.url).query).items()}


def follow(page, locator):
    """Click a link or button and wait for the page it leads to, before reading that page."""
    with page.expect_navigation():
        locator.click()


def press_and_wait(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def type_over(page, text):
    """Replace what the focused field holds, with the keyboard."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.type(text)


def monthly(indicator, values):
    """Readings of `indicator` for consecutive months from April 2013."""
    for n, value in enumerate(values):
        if value is not None:
            month = APRIL_2013.month + n
            ReadingFactory(indicator=indicator, period_start=datetime.date(2013, month, 1), value=value)
    return indicator


def rated(code, name, domain, values, unit_owner, target=30, minimum_standard=25, **fields):
    indicator = IndicatorFactory(code=code, name=name, domain=domain, unit_owner=unit_owner, **fields)
    if target is not None:
        TargetFactory(indicator=indicator, financial_year=2013, target=target, minimum_standard=minimum_standard)
    return monthly(indicator, values)


@pytest.fixture
def head_of_performance(olivia):
    """The post olivia holds: the accountable manager of two indicators (she enters their readings)."""
    return LeadFactory(name="Head of Performance", initials="HP", user=olivia)


@pytest.fixture
def indicators(division, other_division, head_of_performance, action):
    """Mandy's division: one Red, one Amber, one Green and one Not rated indicator in two domains, and two more
    that olivia enters (one already Red); one in another division that mandy does not see. Readings April to
    September 2013, figures worked out up to September 2013. The Red one has benchmarks and a linked action."""
    made = {
        "red": rated(
            "NI 132", "Timeliness of social care assessment", "Personalisation", [24, 25, 26, 26, 26, 20], division,
            definition="Assessments completed within four weeks of first contact.",
        ),
        "amber": rated("ASCOF 1C", "Self-directed support", "Personalisation", [24, 25, 26, 26, 26, 27], division),
        "green": rated("NI 135", "Carers receiving a needs assessment", "Carers", [28, 29, 29, 30, 31, 31], division),
        "grey": rated("NI 150", "Carers in employment", "Carers", [10, 11, 12, 12, 13, 12], division, target=None),
        # olivia's: a percentage and a count of admissions (lower is better), figures up to September.
        "percent": rated(
            "NI 130", "Social care clients receiving self-directed support", "Personalisation",
            [20, 21, 22, 23, 23, 24], division, accountable=head_of_performance,
        ),
        "count": rated(
            "C72", "Permanent admissions to residential care", "Enablement", [12, 14, 11, 13, 12, 15], division,
            target=14, minimum_standard=16, unit="count", polarity="lower", decimal_places=0,
            accountable=head_of_performance,
        ),
        "elsewhere": rated("D55", "Another division's indicator", "Carers", [30] * 6, other_division),
    }
    red = made["red"]
    september = datetime.date(2013, 9, 1)
    for name, value in [("Medway", 28), ("Essex", 22), ("Surrey", 19)]:
        BenchmarkFactory(indicator=red, comparator=ComparatorFactory(name=name), period_start=september, value=value)
    red.actions.add(action)
    state.refresh()
    return made


def row(page, code):
    return page.locator(f'tr[data-indicator="{code}"]')


def shown_codes(page):
    return page.locator("tr[data-indicator]").evaluate_all("(rows) => rows.map((r) => r.dataset.indicator)")


def tile_counts(page, selector="main .app-summary-counts"):
    counts = {}
    for item in page.locator(f"{selector} [data-colour]").all():
        counts[item.get_attribute("data-colour")] = int(item.locator(".app-count").inner_text())
    return counts


def error_summary_links(page):
    return page.locator(".govuk-error-summary a").evaluate_all(
        "(links) => links.map((a) => ({href: a.getAttribute('href'), text: a.textContent.trim(),"
        " target: !!document.getElementById(a.getAttribute('href').slice(1))}))"
    )


# --- Journey 8a: a manager reads the dashboard -----------------------------------------------------


def test_journey_8a_manager_follows_a_red_count_to_the_dashboard_and_opens_an_indicator(page, mandy, indicators):
    login(page, mandy)
    assert path_of(page) == "/"
    summary = page.locator("#indicator-colours")
    expect(page.get_by_role("heading", name="Performance indicators, September 2013")).to_be_visible()
    # Six indicators in mandy's division (D55 is another division's): Red NI 132 and NI 130, Amber ASCOF 1C and
    # C72 (15 admissions, the target at most 14, the floor 16), Green NI 135, and NI 150 with no target.
    counts = tile_counts(page, "#indicator-colours")
    assert counts == {"red": 2, "amber": 2, "green": 1, "grey": 1}, counts
    expect(summary.locator("li:not([data-colour])")).to_contain_text("6 Total indicators")
    expect(summary.locator('[data-colour="red"]')).to_contain_text(f"{counts['red']} Red")
    screenshot(page, "home")

    follow(page, summary.get_by_role("link", name=re.compile(r"\bRed\b")))
    assert path_of(page) == "/performance/"
    assert query_of(page) == {"period": "2013-09", "rag": "red"}
    expect(page.get_by_role("heading", level=1)).to_contain_text("Performance indicators")
    expect(page.get_by_role("heading", level=1)).to_contain_text("As at the end of September 2013")
    expect(page.locator("#shown-count")).to_have_text("2 indicators shown, only those rated Red.")
    assert sorted(shown_codes(page)) == ["NI 130", "NI 132"]
    assert tile_counts(page) == counts, "The dashboard's tiles and the home page's counts must agree"
    expect(page.locator('.app-summary-counts [data-colour="red"] a')).to_have_attribute("aria-current", "true")

    # One row, read as a person reads it.
    red = row(page, "NI 132")
    expect(red.get_by_role("rowheader")).to_contain_text("NI 132")
    expect(red.get_by_role("rowheader")).to_contain_text("Timeliness of social care assessment")
    expect(red).to_contain_text("September 2013")
    expect(red).to_contain_text("20.0%")
    expect(red.locator(".app-rag")).to_have_text("Red")
    expect(red.locator(".app-rag-reason")).to_have_text(
        "20.0% is below the target of 30.0% and below the minimum standard of 25.0%"
    )
    expect(red).to_contain_text("worse than August 2013")
    sparkline = red.get_by_role("img")
    expect(sparkline).to_have_accessible_name("Trend over 12 months: 24.0% to 20.0%, worse (6 of 12 periods with no figure)")
    screenshot(page, "dashboard-red")

    # Another month, with the month field (the keyboard: focus it, choose, Enter on Show).
    month = page.get_by_label("Month", exact=True)
    month.focus()
    page.keyboard.press("ArrowDown")  # the months run newest first
    expect(month).to_have_value("2013-08")
    tab_to(page, "#id_rag")
    page.keyboard.press("Home")  # "Any colour"
    expect(page.get_by_label("RAG", exact=True)).to_have_value("")
    tab_to(page, '#dashboard-filters button[type="submit"]')
    press_and_wait(page)
    assert query_of(page)["period"] == "2013-08"
    expect(page.get_by_role("heading", level=1)).to_contain_text("As at the end of August 2013")
    expect(page.get_by_label("Month", exact=True)).to_have_value("2013-08")
    august = row(page, "NI 132")
    expect(august).to_contain_text("26.0%")
    expect(august.locator(".app-rag")).to_have_text("Amber")
    expect(august).to_contain_text("no change since July 2013")
    assert "D55" not in shown_codes(page), "mandy must not see another division's indicator"
    assert len(shown_codes(page)) == 6

    # Then by domain: the month is kept.
    page.get_by_label("Domain", exact=True).select_option(label="Carers")
    follow(page, page.get_by_role("button", name="Show", exact=True))
    assert query_of(page)["domain"] == "Carers" and query_of(page)["period"] == "2013-08"
    expect(page.locator("table[data-domain]")).to_have_count(1)
    expect(page.locator("table[data-domain] caption")).to_have_text("Carers")
    assert sorted(shown_codes(page)) == ["NI 135", "NI 150"]
    expect(row(page, "NI 150").locator(".app-rag")).to_have_text("Not rated")
    expect(page.locator("#shown-count")).to_have_text("2 indicators shown.")
    screenshot(page, "dashboard-carers")

    # Back to September, every domain, and open the Red indicator.
    page.get_by_label("Month", exact=True).select_option(label="September 2013")
    page.get_by_label("Domain", exact=True).select_option(label="Any domain")
    follow(page, page.get_by_role("button", name="Show", exact=True))
    follow(page, row(page, "NI 132").get_by_role("link", name="NI 132"))
    assert path_of(page) == f"/performance/indicators/{indicators['red'].pk}/"
    expect(page.get_by_role("heading", level=1)).to_have_text("NI 132 Timeliness of social care assessment")
    expect(page.locator("#indicator-details")).to_contain_text("Assessments completed within four weeks of first contact.")
    expect(page.get_by_role("heading", name="As at the end of September 2013")).to_be_visible()
    expect(page.locator("#current-figures .app-rag")).to_have_text("Red")

    chart = page.locator("figure.app-chart svg[role=img]")
    expect(chart).to_have_count(1)
    name = chart.evaluate("(svg) => svg.getAttribute('aria-label')")
    expect(chart).to_have_accessible_name(name)
    assert name.startswith("NI 132 Timeliness of social care assessment: value by period. 6 periods")
    assert "latest value 20.0% (2013-09)" in name or "20.0%" in name, name
    assert "The figures are in the table below the chart." in name

    table = page.get_by_role("table", name=re.compile("by period"))
    expect(table.locator("tbody tr")).to_have_count(6)
    september = table.locator('tr[data-period="2013-09"]')
    expect(september.get_by_role("rowheader")).to_have_text("September 2013")
    expect(september).to_contain_text("20.0%")
    expect(september).to_contain_text("30.0%")
    expect(september).to_contain_text("25.0%")
    expect(september.locator(".app-rag")).to_contain_text("Red")

    benchmarks = page.get_by_role("table", name=re.compile("Comparator councils"))
    expect(benchmarks.get_by_role("caption")).to_contain_text("September 2013, best first")
    ranked = benchmarks.locator("tbody tr").evaluate_all(
        "(rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim()))"
    )
    assert ranked == [
        ["1", "Medway", "28.0%"],
        ["2", "Essex", "22.0%"],
        ["3", "Example Council (this council)", "20.0%"],
        ["4", "Surrey", "19.0%"],
    ], ranked

    linked = page.get_by_role("table", name="Actions whose measurable indicator this is")
    action_row = linked.locator("tbody tr")
    expect(action_row).to_have_count(1)
    expect(action_row).to_contain_text("Sefton improvement plan")
    expect(action_row.locator(".app-rag")).to_have_text("Red")
    screenshot(page, "indicator")
    follow(page, action_row.get_by_role("link", name="Action 1"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Action 1")


# --- Journey 8b: an accountable officer enters a month -----------------------------------------------


def test_journey_8b_officer_enters_a_month_fixes_an_error_and_sees_it_on_the_dashboard(new_page, olivia, mandy, indicators):
    percent, count = indicators["percent"], indicators["count"]
    page = login(new_page(), olivia)
    page.goto("/performance/entry/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enter readings")

    # Choose October 2013 with the keyboard: the month field, then Enter submits its form.
    tab_to(page, "#period")
    type_over(page, "2013-10")
    press_and_wait(page)
    assert query_of(page) == {"period": "2013-10"}
    expect(page.get_by_role("heading", level=1)).to_contain_text("for October 2013")
    legends = page.locator("fieldset legend").all_inner_texts()
    assert legends == [
        "C72 Permanent admissions to residential care: October 2013",
        "NI 130 Social care clients receiving self-directed support: October 2013",
    ], legends
    screenshot(page, "entry")

    # Type both values, the percentage impossible, and submit with Enter from the last field typed in.
    tab_to(page, f"#i{count.pk}-value")
    page.keyboard.type("13")
    tab_to(page, f"#i{percent.pk}-value")
    page.keyboard.type("120")
    press_and_wait(page)

    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator(".govuk-error-summary__title")).to_contain_text("There is a problem")
    page.wait_for_function("() => !!document.activeElement && !!document.activeElement.closest('.govuk-error-summary')")
    links = error_summary_links(page)
    assert [(link["href"], link["text"]) for link in links] == [
        (f"#i{percent.pk}-value", "NI 130, value: 120 is not a percentage from 0 to 100"),
    ], links
    assert all(link["target"] for link in links)
    field = page.get_by_label("Value of NI 130 for October 2013")
    expect(field).to_have_value("120")
    expect(page.get_by_label("Value of C72 for October 2013")).to_have_value("13")  # kept, not saved
    expect(page.locator(f"#i{percent.pk}-value-error")).to_contain_text("120 is not a percentage from 0 to 100")
    expect(field).to_have_attribute("aria-describedby", f"i{percent.pk}-value-error")
    assert not percent.readings.filter(period_start=datetime.date(2013, 10, 1)).exists()
    assert not count.readings.filter(period_start=datetime.date(2013, 10, 1)).exists()
    screenshot(page, "entry-errors")

    # Follow the summary's link with the keyboard: focus lands on the input.
    tab_to(page, f'.govuk-error-summary a[href="#i{percent.pk}-value"]')
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'i{percent.pk}-value'")
    type_over(page, "32")
    press_and_wait(page)

    assert path_of(page) == "/performance/entry/" and query_of(page) == {"period": "2013-10"}
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Saved 2 readings for October 2013.")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    # The saved figure, shown as typed.
    expect(page.get_by_label("Value of NI 130 for October 2013")).to_have_value("32")
    expect(page.locator(f"#i{percent.pk}-about")).to_contain_text("last entered")
    expect(page.locator(f"#i{percent.pk}-about")).to_contain_text("Olivia Officer")

    manager = login(new_page(), mandy)
    manager.goto("/performance/?period=2013-10")
    expect(manager.get_by_role("heading", level=1)).to_contain_text("As at the end of October 2013")
    entered = row(manager, "NI 130")
    expect(entered).to_contain_text("October 2013")
    expect(entered).to_contain_text("32.0%")
    expect(entered.locator(".app-rag")).to_have_text("Green")
    expect(entered).to_contain_text("better than September 2013")
    admissions = row(manager, "C72")
    expect(admissions).to_contain_text("13")
    expect(admissions.locator(".app-rag")).to_have_text("Green")
    expect(admissions).to_contain_text("better than September 2013")


def test_a_saved_reading_is_shown_as_it_was_typed(page, olivia, indicators):
    ReadingFactory(indicator=indicators["percent"], period_start=datetime.date(2013, 10, 1), value=32)
    login(page, olivia)
    page.goto("/performance/entry/?period=2013-10")
    expect(page.get_by_label("Value of NI 130 for October 2013")).to_have_value("32", timeout=1000)


# --- axe on every state ------------------------------------------------------------------------------


def test_home_with_indicator_counts(page, mandy, indicators):
    login(page, mandy)
    expect(page.locator("#indicator-colours")).to_be_visible()
    check_page(page, "home-indicators")


def test_home_before_any_indicator_figures(page, mandy, division):
    login(page, mandy)
    expect(page.get_by_text("No indicator you see has figures yet.")).to_be_visible()
    check_page(page, "home-no-indicators")


def test_dashboard_plain_filtered_bad_period_and_empty(page, mandy, indicators):
    login(page, mandy)
    page.goto("/performance/")
    expect(page.locator("tr[data-indicator]")).to_have_count(6)
    check_page(page, "dashboard")
    screenshot(page, "dashboard")

    page.goto("/performance/?period=2013-08&domain=Personalisation&rag=amber")
    expect(page.locator("#shown-count")).to_contain_text("only those rated Amber")
    check_page(page, "dashboard-filtered")

    page.goto("/performance/?domain=Nothing+like+this&rag=blue")
    expect(page.locator("#id_domain-error")).to_contain_text("That domain is not one of the choices")
    expect(page.locator("#id_rag-error")).to_be_visible()
    check_page(page, "dashboard-bad-filters")

    page.goto("/performance/?rag=red&domain=Carers&period=2013-04")
    expect(page.get_by_text("No indicators match these filters.")).to_be_visible()
    check_page(page, "dashboard-no-match")

    response = page.goto("/performance/?period=2013-13")
    assert response.status == 400
    assert page.title().startswith("Error: ")
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a month as a year and month, like 2013-09")
    expect(page.locator("#period-error")).to_be_visible()
    expect(page.locator("tr[data-indicator]")).to_have_count(0)
    check_page(page, "dashboard-bad-period")

    response = page.goto("/performance/?period=2020-01")
    assert response.status == 400
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a month from April 2013 to September 2013")
    check_page(page, "dashboard-month-without-figures")


def test_dashboard_with_no_indicators(page, mandy, division):
    login(page, mandy)
    page.goto("/performance/")
    expect(page.locator("#no-figures")).to_have_text(
        "There are no indicator figures yet. They appear here once readings have been entered or imported."
    )
    check_page(page, "dashboard-empty")


def test_indicator_page_with_and_without_benchmarks_and_actions(page, mandy, indicators):
    login(page, mandy)
    page.goto(f"/performance/indicators/{indicators['red'].pk}/")
    expect(page.locator("#benchmarks")).to_be_visible()
    expect(page.locator("#linked-actions")).to_be_visible()
    check_page(page, "indicator-full")

    page.goto(f"/performance/indicators/{indicators['grey'].pk}/?period=2013-06")
    expect(page.locator("#no-benchmarks")).to_be_visible()
    expect(page.locator("#no-actions")).to_be_visible()
    expect(page.locator("#no-targets")).to_be_visible()
    check_page(page, "indicator-bare")

    response = page.goto(f"/performance/indicators/{indicators['green'].pk}/?period=2013-Q2")
    assert response.status == 400
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    check_page(page, "indicator-bad-period")

    response = page.goto(f"/performance/indicators/{indicators['elsewhere'].pk}/")
    assert response.status == 404


def test_indicator_page_with_no_readings(page, mandy, division):
    indicator = IndicatorFactory(code="NEW 1", name="Not yet reported", unit_owner=division)
    login(page, mandy)
    page.goto(f"/performance/indicators/{indicator.pk}/")
    expect(page.locator("#no-periods")).to_be_visible()
    expect(page.locator("#no-readings")).to_be_visible()
    check_page(page, "indicator-no-readings")


def test_data_entry_clean_with_errors_and_for_someone_with_no_indicators(new_page, olivia, oscar, indicators):
    page = login(new_page(), olivia)
    page.goto("/performance/entry/?period=2013-10")
    expect(page.locator("fieldset")).to_have_count(2)
    check_page(page, "entry")

    percent = indicators["percent"]
    page.get_by_label("Value of NI 130 for October 2013").fill("120")
    page.get_by_label("Value of C72 for October 2013").fill("-")
    follow(page, page.get_by_role("button", name="Save readings for October 2013"))
    expect(page.locator(".govuk-error-summary a")).to_have_count(2)
    expect(page.locator(f"#i{percent.pk}-value-error")).to_be_visible()
    check_page(page, "entry-errors")

    response = page.goto("/performance/entry/?period=2099-01")
    assert response.status == 400
    expect(page.locator(".govuk-error-summary")).to_contain_text("has not begun yet")
    check_page(page, "entry-future-month")

    response = page.goto("/performance/entry/?period=2013-Q2")
    assert response.status == 400
    check_page(page, "entry-quarter")

    nobody = login(new_page(), oscar)
    nobody.goto("/performance/entry/")
    expect(nobody.get_by_text("You are not the accountable officer for any indicator")).to_be_visible()
    check_page(nobody, "entry-no-indicators")


# --- The Content-Security-Policy -----------------------------------------------------------------

def assert_page_kept_the_policy(page, complaints, response=None, status=200):
    """The page now shown answered `status` under the policy, which refused nothing, and GOV.UK Frontend ran."""
    if response is not None:
        assert response.status == status, f"{page.url} answered {response.status}, not {status}"
        assert "Content-Security-Policy" in {name.title() for name in response.headers}, f"{page.url} has no policy"
    page.wait_for_load_state("load")
    violations = page.evaluate("() => window.__violations")
    assert not violations, f"{page.url}: the policy refused " + "; ".join(violations)
    assert not complaints, "\n".join(complaints)
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')"), page.url
    assert page.evaluate("() => !!document.querySelector('[data-govuk-skip-link-init]')"), page.url


def test_the_indicator_pages_run_under_the_policy(new_page, mandy, olivia, oscar, indicators):
    page, complaints = enforcing_page(new_page)
    login(page, mandy)
    red, grey = indicators["red"], indicators["grey"]
    for url, status in [
        ("/", 200),
        ("/performance/", 200),
        ("/performance/?period=2013-08&domain=Personalisation&rag=amber", 200),
        ("/performance/?rag=red&domain=Carers&period=2013-04", 200),
        ("/performance/?period=2013-13", 400),
        (f"/performance/indicators/{red.pk}/", 200),
        (f"/performance/indicators/{grey.pk}/?period=2013-06", 200),
        (f"/performance/indicators/{red.pk}/?period=nonsense", 400),
    ]:
        assert_page_kept_the_policy(page, complaints, page.goto(url), status)
    # The sparklines and the chart are drawn, not refused.
    page.goto(f"/performance/indicators/{red.pk}/")
    assert page.locator("svg.app-line-chart polyline, svg.app-line-chart path").count() > 0

    officer, officer_complaints = enforcing_page(new_page)
    login(officer, olivia)
    assert_page_kept_the_policy(officer, officer_complaints, officer.goto("/performance/entry/?period=2013-10"))
    officer.get_by_label("Value of NI 130 for October 2013").fill("120")
    with officer.expect_navigation() as navigation:
        officer.get_by_role("button", name="Save readings for October 2013").click()
    assert_page_kept_the_policy(officer, officer_complaints, navigation.value, 400)
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    officer.get_by_label("Value of NI 130 for October 2013").fill("32")
    with officer.expect_navigation():
        officer.get_by_role("button", name="Save readings for October 2013").click()
    expect(officer.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_page_kept_the_policy(officer, officer_complaints)
    assert_page_kept_the_policy(officer, officer_complaints, officer.goto("/performance/entry/?period=2099-01"), 400)

    nobody, nobody_complaints = enforcing_page(new_page)
    login(nobody, oscar)
    assert_page_kept_the_policy(nobody, nobody_complaints, nobody.goto("/performance/entry/"))


def test_an_empty_dashboard_runs_under_the_policy(new_page, mandy, division):
    page, complaints = enforcing_page(new_page)
    login(page, mandy)
    for url in ["/", "/performance/"]:
        assert_page_kept_the_policy(page, complaints, page.goto(url))


# --- Phone width ---------------------------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


def sideways_scroll(page):
    """How far the page body scrolls sideways (0 when it fits), and the widest elements that stick out
    of the viewport outside a scrolling wrapper."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            const overflow = document.documentElement.scrollWidth - width;
            const wrapped = (el) => {
                for (let p = el.parentElement; p; p = p.parentElement) {
                    const style = getComputedStyle(p);
                    if (['auto', 'scroll', 'hidden'].includes(style.overflowX) && p !== document.body
                        && p !== document.documentElement) return true;
                }
                return false;
            };
            const culprits = [...document.body.querySelectorAll('*')]
                .filter((el) => el.getBoundingClientRect().right > width + 1 && !wrapped(el))
                .filter((el) => !el.closest('.govuk-visually-hidden'))
                .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}`
                    + ` right=${Math.round(el.getBoundingClientRect().right)}`)
                .slice(0, 8);
            return {overflow, culprits};
        }"""
    )


def assert_no_sideways_scroll(page, name):
    found = sideways_scroll(page)
    if found["overflow"] > 0:
        shot = screenshot(page, f"{name}-phone-overflow")
        raise AssertionError(
            f"{name} ({page.url}) scrolls sideways by {found['overflow']}px at 390px wide; screenshot {shot}; "
            f"sticking out: {found['culprits']}"
        )


def test_dashboard_and_data_entry_fit_a_phone(new_page, mandy, olivia, indicators):
    manager = login(new_page(), mandy)
    manager.set_viewport_size(PHONE)
    manager.goto("/performance/")
    expect(manager.locator("tr[data-indicator]")).to_have_count(6)
    assert_no_sideways_scroll(manager, "dashboard")
    # The table is wider than a phone: it scrolls inside its wrapper, whose content (the indicator links)
    # can be reached with the keyboard.
    wrap = manager.locator(".app-table-wrap").first
    assert wrap.evaluate("(el) => el.scrollWidth > el.clientWidth"), "Expected the indicator table to scroll in its wrapper"
    check_page(manager, "dashboard-phone")
    screenshot(manager, "dashboard-phone")

    manager.goto("/performance/?period=2013-13")
    assert_no_sideways_scroll(manager, "dashboard-bad-period")

    officer = login(new_page(), olivia)
    officer.set_viewport_size(PHONE)
    officer.goto("/performance/entry/?period=2013-10")
    assert_no_sideways_scroll(officer, "entry")
    check_page(officer, "entry-phone")
    officer.get_by_label("Value of NI 130 for October 2013").fill("120")
    follow(officer, officer.get_by_role("button", name="Save readings for October 2013"))
    expect(officer.locator(".govuk-error-summary")).to_be_visible()
    assert_no_sideways_scroll(officer, "entry-errors")
    screenshot(officer, "entry-errors-phone")


# Found by these tests and fixed: the indicator page on a phone.


def test_the_indicator_page_fits_a_phone(page, mandy, indicators):
    login(page, mandy)
    page.set_viewport_size(PHONE)
    page.goto(f"/performance/indicators/{indicators['red'].pk}/")
    expect(page.locator("#figures-by-period")).to_be_visible()
    assert_no_sideways_scroll(page, "indicator")


def test_the_indicator_page_passes_axe_on_a_phone(page, mandy, indicators):
    login(page, mandy)
    page.set_viewport_size(PHONE)
    page.goto(f"/performance/indicators/{indicators['red'].pk}/")
    assert_no_axe_violations(page, "indicator-phone")
