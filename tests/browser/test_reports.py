"""Issue 14 in Chromium: the plan's and the performance dashboard's committee reports pass axe (both layouts),
load under the enforced Content-Security-Policy, print without navigation, and a manager publishes a report from
the plan page while an officer is not offered the form. Screenshots in test-artifacts/screenshots/."""

import pytest

from .conftest import assert_no_axe_violations, enforcing_page, login, screenshot
from .test_indicators import head_of_performance, indicators  # noqa: F401 (fixtures)

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.mark.parametrize("layout", ["recommendation", "action"])
def test_the_plan_report_page_passes_axe_and_prints_without_navigation(new_page, demo_plans, mandy, layout):
    url = f"/plans/{demo_plans['sefton'].pk}/?format=html&layout={layout}&as_at=2010-09-30"
    enforcing, complaints = enforcing_page(new_page)  # axe is injected as an inline script: checked apart
    login(enforcing, mandy)
    enforcing.goto(url)
    assert complaints == []
    page = new_page()
    login(page, mandy)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sefton Adult Social Care Improvement Plan 2010")
    assert page.locator("link[href$='report.css']").count() == 1
    assert page.locator(".app-report-nav").evaluate("(el) => getComputedStyle(el).display") != "none"
    screenshot(page, f"plan-report-{layout}")
    assert_no_axe_violations(page, f"plan-report-{layout}")
    page.emulate_media(media="print")
    assert page.locator(".app-report-nav").evaluate("(el) => getComputedStyle(el).display") == "none"
    assert page.locator("table.app-report-table thead").first.evaluate("(el) => getComputedStyle(el).display") == "table-header-group"


def test_a_manager_publishes_from_the_plan_page_and_an_officer_cannot(new_page, demo_plans, mandy, olivia):
    page = new_page()
    login(page, mandy)
    page.goto(f"/plans/{demo_plans['sefton'].pk}/")
    page.get_by_label("Publish this report for a meeting").fill("DMT, 30 September 2010")
    page.get_by_role("button", name="Publish report").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Report published for DMT, 30 September 2010")
    expect(page.locator("[data-published]")).to_contain_text("DMT, 30 September 2010")
    screenshot(page, "plan-page-manager")
    assert_no_axe_violations(page, "plan-page-after-publishing")
    officer = new_page()
    login(officer, olivia)
    officer.goto(f"/plans/{demo_plans['sefton'].pk}/")
    expect(officer.get_by_role("button", name="Publish report")).to_have_count(0)
    expect(officer.locator("[data-published]")).to_contain_text("DMT, 30 September 2010")
    screenshot(officer, "plan-page-officer")


def test_the_performance_report_page_passes_axe(new_page, mandy, indicators):
    enforcing, complaints = enforcing_page(new_page)
    login(enforcing, mandy)
    enforcing.goto("/performance/report/?period=2013-09&format=html")
    assert complaints == []
    page = new_page()
    login(page, mandy)
    page.goto("/performance/report/?period=2013-09&format=html")
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance indicators and business plan monitoring")
    screenshot(page, "performance-report")
    assert_no_axe_violations(page, "performance-report")
