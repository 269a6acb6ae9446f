"""Issue 6: axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page a user can reach.

Every page is checked in each state a person meets it in (empty and full, with and
without errors), on the real demo plans loaded through the importer. Each check
also asserts that RAG is never shown by colour alone and that ids are unique, and
saves a full-page screenshot. The Django admin is excluded (see the accessibility
statement).
"""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db.models import Count

from actionplans import rag, services
from core.periods import today
from actionplans.models import Action, ProgressUpdate

from .conftest import assert_no_axe_violations, check_page, login, screenshot

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def led_by(plan, user):
    """The action of `plan` that `user` leads with the most milestones (the fullest page)."""
    return (
        Action.objects.filter(plan=plan, leads__user=user)
        .annotate(milestone_count=Count("milestones"))
        .order_by("-milestone_count", "sort_key")
        .first()
    )


def test_styles_and_scripts_load_in_the_live_server(page):
    """The GOV.UK Frontend CSS and JavaScript are served (axe's contrast checks depend on it)."""
    response = page.goto("/login/")
    assert response.status == 200
    css = page.request.get("/static/app.css")
    assert css.status == 200 and ".govuk-button" in css.text()
    button = page.get_by_role("button", name="Sign in")
    # GOV.UK Frontend's green (6.x; 5.x was rgb(0, 112, 60)), not the browser's grey default.
    assert button.evaluate("(b) => getComputedStyle(b).backgroundColor") in {"rgb(15, 122, 82)", "rgb(0, 112, 60)"}
    heading = page.get_by_role("heading", level=1)
    assert "arial" in heading.evaluate("(h) => getComputedStyle(h).fontFamily").lower()
    assert heading.evaluate("(h) => getComputedStyle(h).fontWeight") == "700"
    page.wait_for_function("() => document.querySelector('[data-govuk-button-init]')")  # initAll() ran
    screenshot(page, "login")


def test_the_axe_check_reports_violations(page):
    """The helper itself: a page with known faults fails, naming rule, impact, help and target."""
    page.set_content(
        '<html lang="en"><head><title>Faults</title></head><body><main><h1>Faults</h1>'
        '<img src="data:," id="no-alt"><p style="color:#bbb;background:#fff">Faint text</p></main></body></html>'
    )
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page, "known-faults")
    message = str(failure.value)
    assert "image-alt (critical)" in message and "#no-alt" in message
    assert "color-contrast (serious)" in message
    shot = re.search(r"screenshot (\S+\.png)", message)
    assert shot, message
    Path(shot.group(1)).unlink()  # a deliberate failure: keep the screenshots folder for real ones


def test_sign_in_page_clean_and_with_an_error(page, olivia):
    page.goto("/")
    check_page(page, "sign-in")
    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "sign-in-error", shot=True)


def test_my_actions_with_rows_empty_and_awaiting_sign_off(new_page, olivia, oscar, mandy, demo_plans):
    officer = login(new_page(), olivia)
    expect(officer.locator("tr[data-action]").first).to_be_visible()
    assert officer.locator("tr[data-action]").count() >= 2
    check_page(officer, "officer-with-actions", shot=True)

    nobody = login(new_page(), oscar)
    expect(nobody.get_by_text("You do not lead any actions yet")).to_be_visible()
    check_page(nobody, "officer-without-actions", shot=True)

    services.propose_completion(action=led_by(demo_plans["sefton"], olivia), author=olivia, narrative="Done.")
    manager = login(new_page(), mandy)
    expect(manager.get_by_role("heading", name="Completions awaiting your sign-off")).to_be_visible()
    check_page(manager, "manager-awaiting-sign-off", shot=True)


def test_short_update_page_from_my_actions_clean_with_errors_and_back(page, olivia, demo_plans):
    action = led_by(demo_plans["sefton"], olivia)
    login(page, olivia)
    page.get_by_role("link", name=re.compile(rf"Add a progress update to action {re.escape(action.number)} of ")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Add a progress update to action {action.number}")
    check_page(page, "short-update", shot=True)
    page.get_by_role("button", name="Save progress update").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what progress has been made")
    check_page(page, "short-update-errors", shot=True)
    page.get_by_label("What progress has been made?").fill("Audit booked with the safeguarding team.")
    page.get_by_label("On track").check()
    page.get_by_role("button", name="Save progress update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Progress update saved.")
    expect(page.locator(f'tr[data-action="{action.number}"]').first).to_contain_text("Audit booked")


def test_plans_list_plain_filtered_and_empty(page, mandy, demo_plans):
    login(page, mandy)
    page.goto("/plans/")
    expect(page.locator("[data-plan]")).to_have_count(3)
    check_page(page, "plans")
    page.goto("/plans/?source=cqc_inspection&rag=blue&overdue=true")
    expect(page.locator("[data-plan]")).to_have_count(1)
    check_page(page, "plans-filtered", shot=True)
    page.goto("/plans/?q=nothing+matches+this&source=ofsted")
    expect(page.get_by_text("No plans match these filters.")).to_be_visible()
    check_page(page, "plans-none")


def test_plan_pages_today_as_at_and_business(page, mandy, demo_plans):
    login(page, mandy)
    sefton = demo_plans["sefton"]
    page.goto(sefton.get_absolute_url())
    expect(page.get_by_role("heading", level=2, name=re.compile(r"\(today\)"))).to_be_visible()
    check_page(page, "sefton-today")
    page.goto(f"{sefton.get_absolute_url()}?as_at=2010-12-31")
    expect(page.get_by_role("heading", level=2, name="Summary as at 31 December 2010")).to_be_visible()
    check_page(page, "sefton-as-at")
    page.goto(f"{sefton.get_absolute_url()}?rag=red&update_overdue=true&area=999999")
    expect(page.locator("#filters")).to_have_attribute("open", "")
    expect(page.locator("#filtered")).to_contain_text("shown, counted below")
    check_page(page, "sefton-filtered", shot=True)
    kent = demo_plans["kent"]
    page.goto(kent.get_absolute_url())
    check_page(page, "kent", shot=True)
    page.goto(f"{kent.get_absolute_url()}?as_at=31/12/2010")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date, written as YYYY-MM-DD")
    expect(page.locator("#as_at-error")).to_contain_text("you entered “31/12/2010”")
    expect(page.locator(".app-action-row")).to_have_count(0)  # no figures of some other day
    check_page(page, "kent-as-at-error", shot=True)
    page.goto(demo_plans["business"].get_absolute_url())
    expect(page.get_by_text("Overall:")).to_be_visible()
    check_page(page, "business-plan", shot=True)


def test_business_plan_monitoring_empty_and_full(page, mandy, demo_plans):
    """Seed 001's business plan dashboard (/performance/business-plan/): before any business plan, and with one."""
    from actionplans.models import Plan

    login(page, mandy)
    business = demo_plans["business"]
    Plan.objects.filter(pk=business.pk).update(source=Plan.OTHER)
    page.goto("/performance/business-plan/")
    expect(page.get_by_text("There are no business plans yet")).to_be_visible()
    check_page(page, "business-plan-monitoring-empty")
    Plan.objects.filter(pk=business.pk).update(source=Plan.BUSINESS_PLAN)
    page.goto("/performance/business-plan/")
    expect(page.locator("#business-plan-monitoring")).to_contain_text("Directorate totals")
    check_page(page, "business-plan-monitoring", shot=True)
    page.get_by_role("link", name=re.compile(r"actions of OPPD delayed or cancelled")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Actions")
    check_page(page, "business-plan-drill-down")


def test_action_page_as_lead_with_errors_and_a_conflict(page, olivia, mandy, demo_plans):
    action = led_by(demo_plans["sefton"], olivia)
    login(page, olivia)
    page.goto(action.get_absolute_url())
    expect(page.get_by_role("heading", name="Add a progress update")).to_be_visible()
    expect(page.locator("table").filter(has_text="Activity")).to_be_visible()  # milestones
    check_page(page, "lead", shot=True)

    page.get_by_text("The action is complete", exact=True).click()
    expect(page.get_by_label("Evidence that the action is complete (optional)")).to_be_visible()
    check_page(page, "lead-propose-open")

    page.get_by_role("group", name="Date of this update").get_by_label("Day").fill("31")
    page.get_by_role("group", name="Date of this update").get_by_label("Month").fill("2")
    page.get_by_role("group", name="Date of this update").get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save progress update").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page, "lead-form-errors", shot=True)

    # Someone else saves while the officer types: the conflict message, her text kept.
    page.goto(action.get_absolute_url())
    services.add_progress_update(
        action=action, author=mandy, date=today(), narrative="Checked at supervision.", status=rag.ON_TRACK
    )
    page.get_by_label("What progress has been made?").fill("Risk checklist piloted in two teams.")
    page.get_by_label("At risk").check()
    page.get_by_role("button", name="Save progress update").click()
    expect(page.get_by_role("heading", name="Someone else changed this action while you were editing it")).to_be_visible()
    expect(page.locator("#conflict-changes")).to_contain_text("Checked at supervision.")
    expect(page.get_by_label("What progress has been made?")).to_have_value("Risk checklist piloted in two teams.")
    check_page(page, "lead-conflict", shot=True)


def test_action_page_as_non_lead_and_as_signing_off_manager(new_page, olivia, oscar, mandy, demo_plans):
    action = led_by(demo_plans["sefton"], olivia)
    other = login(new_page(), oscar)
    other.goto(action.get_absolute_url())
    expect(other.locator("#no-update")).to_be_visible()
    check_page(other, "non-lead", shot=True)

    services.propose_completion(action=action, author=olivia, narrative="All done, evidence on file.")
    manager = login(new_page(), mandy)
    manager.goto(action.get_absolute_url())
    expect(manager.get_by_role("heading", name="Sign off completion")).to_be_visible()
    check_page(manager, "manager-sign-off", shot=True)

    manager.get_by_label("No, return it to the lead").check()
    manager.get_by_role("button", name="Save decision").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("Enter a comment saying why the completion is returned")
    link = manager.locator(".govuk-error-summary a")
    expect(link).to_have_attribute("href", "#id_sign-off-comment")
    check_page(manager, "manager-sign-off-error", shot=True)

    expect(manager.get_by_label("No, return it to the lead")).to_be_checked()  # the choice is kept
    manager.get_by_label("Comment").fill("The audit results are still missing.")
    manager.get_by_role("button", name="Save decision").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("Completion returned")
    check_page(manager, "manager-returned")


def test_accessibility_statement_403_and_404(page, oscar, action):
    login(page, oscar)
    page.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accessibility statement")
    check_page(page, "accessibility-statement", shot=True)

    # A 403 as the browser shows it: the progress form posted by someone who does not lead the action.
    page.goto(action.get_absolute_url())
    before = ProgressUpdate.objects.count()
    with page.expect_navigation():
        page.evaluate(
            """(url) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = url;
                const token = document.querySelector('input[name=csrfmiddlewaretoken]').cloneNode();
                form.append(token);
                document.body.append(form);
                form.submit();
            }""",
            f"/actions/{action.pk}/progress/",
        )
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do that")
    assert ProgressUpdate.objects.count() == before
    check_page(page, "403", shot=True)

    response = page.goto("/plans/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert urlparse(page.url).path == "/plans/999999/"
    check_page(page, "404", shot=True)
