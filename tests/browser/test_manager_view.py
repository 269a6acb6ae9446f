"""Issue 11 in Chromium: a manager's home and the actions list across plans (axe: 0 violations), the
expired-session journey (nothing typed is lost), and action tables on a phone."""

import csv
import io
from urllib.parse import parse_qs, urlparse

import pytest

from actionplans.models import Action, ProgressUpdate

from .conftest import check_page, login, screenshot

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def follow(page, locator):
    with page.expect_navigation():
        locator.click()


def shown_actions(page):
    return page.locator("tr.app-action-row").evaluate_all("(rows) => rows.map((r) => r.dataset.action)")


def test_manager_home_counts_link_to_the_actions_list_which_filters_searches_and_downloads(page, mandy, demo_plans):
    sefton = demo_plans["sefton"]
    login(page, mandy)
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions across plans")
    check_page(page, "manager home")
    screenshot(page, "manager-home")
    expect(page.get_by_text("You do not lead any actions yet")).to_have_count(0)
    red = int(page.locator('#dashboard-colours [data-colour="red"] .app-count').inner_text())
    needing = page.locator('[data-count="needs_due_date"]')
    expect(needing).to_contain_text("1 action")

    follow(page, page.locator('#dashboard-colours [data-colour="red"] a'))
    assert urlparse(page.url).path == "/actions/"
    assert parse_qs(urlparse(page.url).query)["rag"] == ["red"]
    expect(page.get_by_role("status")).to_contain_text(f"{red} action")
    check_page(page, "actions list, red")
    screenshot(page, "actions-red")

    page.go_back()
    follow(page, needing)
    assert shown_actions(page) == ["27"]  # Sefton 27: "Starting Sept 2010, And over following 9 months."
    expect(page.locator("tr.app-action-row")).to_contain_text("Needs a due date")
    expect(page.locator("tr.app-action-row")).to_contain_text("Not rated")

    page.goto("/actions/")
    page.get_by_label("Search").fill("Tidmarsh")
    follow(page, page.get_by_role("button", name="Apply filters"))
    tidmarsh = Action.objects.filter(leads__name__icontains="Tidmarsh").count()
    assert tidmarsh and len(shown_actions(page)) == min(tidmarsh, 50)
    check_page(page, "actions list, searched")

    # Once filtered, the panel is closed and says what is in use: open it to change them.
    expect(page.locator("#applied")).to_contain_text("Search: Tidmarsh")
    page.get_by_text("Filter the actions").click()
    page.get_by_label("Search").fill("")
    page.get_by_label("Plan", exact=True).select_option(label=sefton.title)
    page.get_by_label("Only overdue actions").check()
    follow(page, page.get_by_role("button", name="Apply filters"))
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = download.value.path().read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == int(page.get_by_role("status").inner_text().split()[0])
    assert {row["Plan"] for row in rows} == {sefton.title} and {row["Overdue"] for row in rows} == {"Yes"}


def test_a_bad_due_before_date_is_a_gov_uk_error(page, mandy, demo_plans):
    login(page, mandy)
    page.goto("/actions/?due_before=2010-02-31")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Due before must be a real date")
    check_page(page, "actions list with an error")


def test_officer_whose_session_ended_while_typing_loses_nothing(new_page, olivia, demo_plans):
    page = new_page()
    login(page, olivia)
    action = Action.objects.filter(leads__user=olivia).order_by("pk").first()
    page.goto(f"/actions/{action.pk}/progress/?next=/")
    text = "Audit of 20 case files done.\nThree need a second look by the team manager."
    page.get_by_label("What progress has been made?").fill(text)
    page.get_by_label("On track").check()
    # Twenty minutes later the session has ended (timed out, or the server restarted).
    page.context.clear_cookies(name="sessionid")
    follow(page, page.get_by_role("button", name="Save progress update"))
    assert urlparse(page.url).path == "/login/"
    expect(page.locator(".govuk-notification-banner")).to_contain_text("what you typed is kept")
    check_page(page, "sign in after the session ended")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("correct horse battery staple")
    follow(page, page.get_by_role("button", name="Sign in"))
    # Back on the form, never a bare "405", with the text as typed.
    assert urlparse(page.url).path == f"/actions/{action.pk}/progress/"
    expect(page.locator("#restored")).to_be_visible()
    expect(page.get_by_label("What progress has been made?")).to_have_value(text)
    expect(page.get_by_label("On track")).to_be_checked()
    check_page(page, "form restored after signing in")
    screenshot(page, "restored")
    typed = ProgressUpdate.objects.filter(action=action, narrative__contains="Three need a second look")
    assert not typed.exists()  # nothing saved behind their back
    follow(page, page.get_by_role("button", name="Save progress update"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Progress update saved")
    assert typed.count() == 1

    # Opening a POST-only address, or /logout/, is a page a person can use.
    page.goto(f"/actions/{action.pk}/propose-completion/")
    assert urlparse(page.url).path == f"/actions/{action.pk}/"
    page.goto("/logout/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign out")
    follow(page, page.locator("main").get_by_role("button", name="Sign out"))
    assert urlparse(page.url).path == "/login/"


@pytest.mark.parametrize("who", ["olivia", "mandy"])
def test_action_tables_reflow_on_a_phone(browser, live_server, everyone, demo_plans, who):
    # bypass_csp: axe-core goes in as an inline script (see conftest.new_page).
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-GB", bypass_csp=True
    )
    page = context.new_page()
    try:
        login(page, everyone[who])
        for url in ["/", "/actions/", demo_plans["sefton"].get_absolute_url()]:
            page.goto(url)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, f"{url} is {width}px wide on a 390px phone"
            rows = page.locator("tr.app-action-row")
            if url == "/" and not rows.count():
                continue  # a manager who leads no actions has counts, not rows, on their home
            row = rows.first
            for label in ["RAG", "Latest progress"]:
                cell = row.locator(f'td[data-label="{label}"]')
                box = cell.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (url, label, box)
        screenshot(page, f"phone-{who}")
        check_page(page, f"plan page on a phone as {who}")
    finally:
        context.close()
