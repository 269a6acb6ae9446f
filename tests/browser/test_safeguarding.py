"""Safeguarding adults in Chromium: the overview, the quarter's data entry (clean and with errors) and the
quarterly report, on seed 004's quarter as seed_safeguarding loads it; axe (via check_page) on each, as a manager
above the team and as an officer of the team; the entry's error summary leads to the field; the pages run under
the enforced Content-Security-Policy."""

import io

import pytest
from django.core.management import call_command

from core.models import OrganisationUnit, Profile

from ..factories import ProfileFactory, UnitFactory, UserFactory
from .conftest import check_page, enforcing_page, login, screenshot

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def sefton(db):
    """seed_demo's Sefton units, seed_safeguarding's team and figures; a manager of the division, an officer of the team."""
    directorate = UnitFactory(name="Adult Social Care Directorate", level=OrganisationUnit.DIRECTORATE)
    division = UnitFactory(name="Sefton Adult Social Care", level=OrganisationUnit.DIVISION, parent=directorate)
    call_command("seed_safeguarding", stdout=io.StringIO())
    manager = UserFactory(username="manon", first_name="Manon", last_name="Manager")
    ProfileFactory(user=manager, role=Profile.MANAGER, unit=division)
    officer = UserFactory(username="sam", first_name="Sam", last_name="Coordinator")
    ProfileFactory(user=officer, role=Profile.OFFICER, unit=OrganisationUnit.objects.get(name="Safeguarding Adults Team"))
    return {"manager": manager, "officer": officer}


@pytest.mark.parametrize("who", ["manager", "officer"])
def test_overview_entry_and_report(new_page, sefton, who):
    page = login(new_page(), sefton[who])
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safeguarding adults")
    expect(page.locator("#totals")).to_contain_text("192")
    expect(page.get_by_role("img", name="Source of referral in Q4 2009/10", exact=False)).to_be_visible()
    expect(page.locator("#dmt-warning")).to_contain_text("more than 14 days")
    check_page(page, f"safeguarding-overview-{who}", shot=True)

    page.get_by_role("link", name="Quarterly report to the Cabinet Member for Q4 2009/10").click()
    expect(page.locator("#report-concerns")).to_contain_text("numbered 192")
    check_page(page, f"safeguarding-report-{who}", shot=True)
    page.emulate_media(media="print")
    screenshot(page, f"safeguarding-report-{who}-print")
    page.emulate_media(media="screen")

    page.goto("/safeguarding/")
    page.get_by_role("link", name="Enter or correct the figures for Q4 2009/10").click()
    expect(page.get_by_label("Concerns (alerts and referrals)")).to_have_value("192")
    check_page(page, f"safeguarding-entry-{who}", shot=True)


def test_an_error_is_summarised_linked_to_its_field_and_nothing_is_saved(page, sefton):
    login(page, sefton["officer"])
    page.goto("/safeguarding/entry/?quarter=2009/10+Q4")
    page.get_by_label("Police", exact=True).fill("20")  # the sources no longer add up to 192
    page.get_by_role("button", name="Save the figures for Q4 2009/10").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem: nothing was saved")
    expect(summary).to_contain_text("The counts by source of referral add up to 200, not the 192 concerns")
    check_page(page, "safeguarding-entry-errors", shot=True)
    summary.get_by_role("link").first.click()
    expect(page.locator("#group-source")).to_have_class("govuk-form-group govuk-form-group--error")
    page.goto("/safeguarding/")
    expect(page.locator("#sources-table")).to_contain_text("12")  # Police still as printed


def test_the_pages_run_under_the_policy(new_page, sefton):
    page, complaints = enforcing_page(new_page)
    login(page, sefton["manager"])
    for url in ["/safeguarding/", "/safeguarding/entry/?quarter=2009/10+Q4", "/safeguarding/report/?quarter=2009/10+Q4"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => window.__violations") == [], url
    assert complaints == []
