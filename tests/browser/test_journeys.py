"""Issue 6: what officers, managers and admins do, end to end in Chromium.

One test per journey (journey 2 has two: keyboard only on an overdue action, and
a mouse user on an action not yet due). People are the named users of
tests/conftest.py; the bigger journeys run on the real demo plans (Kent, Sefton).
"""

import csv
import io
import re
from collections import Counter
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook

from actionplans import rag
from core.periods import today
from actionplans.models import Action, Plan, ProgressUpdate

from ..factories import ActionFactory
from .conftest import focused_matches, login, screenshot, tab_to

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: browser tests skipped").expect

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def path_of(page):
    return urlparse(page.url).path


def follow(page, locator):
    """Click a link or button and wait for the page it leads to, before reading that page."""
    with page.expect_navigation():
        locator.click()


def day_text(day):
    return f"{day:%-d %b %Y}"


def tab(page, selector):
    """One press of Tab must move focus to `selector`: the form's tab order is the reading order."""
    page.keyboard.press("Tab")
    assert focused_matches(page, selector), (
        f"Tab moved focus to {page.evaluate('() => document.activeElement.outerHTML.slice(0, 160)')}, not {selector}"
    )


def type_over(page, text):
    """Replace what the focused field holds, with the keyboard."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    if text:
        page.keyboard.type(text)


def choose_radio(page, value):
    """With focus in a radio group, move with the arrow keys until `value` is chosen."""
    for _ in range(10):
        if page.evaluate("(v) => document.activeElement.value === v && document.activeElement.checked", value):
            return
        if page.evaluate("(v) => document.activeElement.value === v", value):
            page.keyboard.press("Space")
        else:
            page.keyboard.press("ArrowDown")
    raise AssertionError(f"Could not choose the radio {value!r} with the keyboard")


def click_action_link(scope, number):
    """Click the link to action `number`, where a person would: on its number.

    The link reads "<visually hidden>Action </visually hidden>1"; Playwright aims a plain
    click at the first box of the link, the 1-pixel visually hidden text, which the
    table cell covers. So aim at the middle of the link's box, the visible number.
    """
    link = scope.get_by_role("link", name=f"Action {number}", exact=True)
    box = link.bounding_box()
    link.click(position={"x": box["width"] / 2, "y": box["height"] / 2})


def error_summary_links(page):
    return page.locator(".govuk-error-summary a").evaluate_all(
        "(links) => links.map((a) => ({href: a.getAttribute('href'), text: a.textContent.trim(),"
        " target: !!document.getElementById(a.getAttribute('href').slice(1))}))"
    )


def focus_in_error_summary(page):
    page.wait_for_function("() => !!document.activeElement && !!document.activeElement.closest('.govuk-error-summary')")
    return True


def summary_counts(page):
    counts = {}
    for item in page.locator(".app-summary-counts [data-colour]").all():
        counts[item.get_attribute("data-colour")] = int(item.locator(".app-count").inner_text())
    return counts


def row_colours(page):
    return Counter(page.locator("tr[data-colour]").evaluate_all("(rows) => rows.map((r) => r.dataset.colour)"))


def assert_summary_matches_rows(page):
    counts, rows = summary_counts(page), row_colours(page)
    assert counts, "The plan page shows no RAG summary"
    for colour, count in counts.items():
        assert rows[colour] == count, f"Summary says {count} {colour}, the table has {rows[colour]} {colour} rows"
    assert set(rows) <= set(counts), f"Rows rated {set(rows) - set(counts)} are not counted in the summary"
    total = int(page.locator(".app-summary-counts li:not([data-colour]) .app-count").inner_text())
    assert total == sum(rows.values())
    return counts


def page_actions(page):
    """{action number: (RAG word, RAG reason)} as the plan page's tables show them."""
    rows = page.locator("tr[data-action]").evaluate_all(
        """(rows) => rows.map((r) => [r.dataset.action,
            r.querySelector('.app-rag').textContent.trim(),
            r.querySelector('.app-rag-reason').textContent.trim()])"""
    )
    shown = {number: (word, reason) for number, word, reason in rows}
    assert len(shown) == len(rows), "An action appears twice on the plan page"
    return shown


# --- 1. Sign in --------------------------------------------------------------------------------


def test_journey_1_visitor_signs_in_and_lands_on_my_actions(page, olivia, action):
    page.goto("/")
    assert path_of(page) == "/login/", "An anonymous visitor must be sent to the sign-in page"
    assert "next=/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")

    page.get_by_label("Username").fill("olivia")
    page.get_by_label("Password").fill("not her password")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert path_of(page) == "/login/"
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator(".govuk-error-summary__title")).to_have_text("There is a problem")
    expect(summary).to_contain_text("Please enter a correct username and password")
    assert [link["href"] for link in error_summary_links(page)] == ["#id_username"]
    focus_in_error_summary(page)
    screenshot(page, "wrong-password")

    page.get_by_label("Password").fill("correct horse battery staple")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert path_of(page) == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.locator(f'tr[data-action="{action.number}"]')).to_contain_text(action.plan.title)
    expect(page.locator(".app-header-user")).to_contain_text("Signed in as Olivia Officer")
    screenshot(page, "my-actions")


# --- 2. Progress update --------------------------------------------------------------------------


def test_journey_2_officer_updates_an_overdue_action_with_the_keyboard_only(page, olivia, action):
    """Keyboard only: Tab to the fields, type, Enter to submit; focus goes to the error summary."""
    day = today()
    assert action.is_overdue(day), "The fixture action (timescale March 2011) must be overdue"
    login(page, olivia)
    expect(page.locator(f'tr[data-action="{action.number}"]')).to_contain_text("Overdue")

    tab_to(page, f'a[href="{action.get_absolute_url()}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == action.get_absolute_url()
    expect(page.locator("#action-rag")).to_contain_text("Red")

    # A first try with an impossible date and no narrative.
    tab_to(page, "#id_date_0")
    type_over(page, "31")
    tab(page, "#id_date_1")
    type_over(page, "2")
    tab(page, "#id_date_2")
    type_over(page, "2025")
    tab(page, "#id_narrative")
    tab(page, 'input[name="status"]')
    choose_radio(page, rag.AT_RISK)
    tab(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.title().startswith("Error: ")
    assert focus_in_error_summary(page), "Focus must move to the error summary"
    links = error_summary_links(page)
    assert [(link["href"], link["text"]) for link in links] == [
        ("#id_date_0", "Date must be a real date"),
        ("#id_narrative", "Enter what progress has been made"),
    ]
    assert all(link["target"] for link in links), f"An error link points at nothing: {links}"
    assert ProgressUpdate.objects.filter(action=action).count() == 0
    screenshot(page, "errors")

    # Follow the first error link with the keyboard: focus lands on the day field, values kept.
    tab(page, '.govuk-error-summary a[href="#id_date_0"]')
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_date_0'")
    assert page.input_value("#id_date_1") == "2" and page.input_value("#id_date_2") == "2025"

    type_over(page, str(day.day))
    tab(page, "#id_date_1")
    type_over(page, str(day.month))
    tab(page, "#id_date_2")
    type_over(page, str(day.year))
    tab(page, "#id_narrative")
    page.keyboard.type("Audit of risk documentation delayed: two practitioners off sick.")
    tab(page, 'input[name="status"]')
    choose_radio(page, rag.AT_RISK)  # kept from the first try
    tab(page, 'button[type="submit"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert path_of(page) == action.get_absolute_url()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Progress update saved.")
    expect(page.locator("#action-status")).to_have_text("At risk")
    expect(page.locator("#action-rag .app-rag")).to_have_text("Red")
    expect(page.locator("#action-rag .app-rag-reason")).to_have_text(
        f"Past its due date of {day_text(action.due_date)} and not completed (the lead reported at risk)"
    )
    update = page.locator("[data-update]").first
    expect(update).to_contain_text(f"{day:%-d %B %Y} · At risk")
    expect(update).to_contain_text("Olivia Officer")
    expect(update).to_contain_text("two practitioners off sick")
    history = page.locator("#change-history tbody tr").filter(has_text=f"Progress update of {day_text(day)} created")
    expect(history).to_have_count(1)
    expect(history).to_contain_text("Olivia Officer")
    saved = ProgressUpdate.objects.get(action=action)
    assert (saved.date, saved.status, saved.author) == (day, rag.AT_RISK, olivia)
    screenshot(page, "saved")


def test_journey_2_officer_reports_at_risk_on_an_action_not_yet_due(page, olivia, lead, action):
    future = ActionFactory(area=action.area, number="2", timescale=f"March {today().year + 1}", leads=[lead])
    login(page, olivia)
    click_action_link(page, future.number)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action {future.number}")
    expect(page.locator("#action-rag .app-rag")).to_have_text("Green")

    day = today()
    expect(page.get_by_role("group", name="Date of this update").get_by_label("Day")).to_have_value(str(day.day))  # today, by default
    page.get_by_label("What progress has been made?").fill("Provider market review slipping.")
    page.get_by_label("At risk").check()
    page.get_by_role("button", name="Save progress update").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Progress update saved.")
    expect(page.locator("#action-rag .app-rag")).to_have_text("Amber")
    expect(page.locator("#action-rag .app-rag-reason")).to_have_text("At risk, as reported by the lead")
    expect(page.locator("[data-update]").first).to_contain_text("Provider market review slipping.")
    expect(page.locator("#change-history")).to_contain_text(f"Progress update of {day_text(day)} created")
    screenshot(page, "amber")

    page.get_by_role("link", name="Home", exact=True).click()
    row = page.locator(f'tr[data-action="{future.number}"]')
    expect(row).to_have_attribute("data-colour", "amber")
    expect(row).to_contain_text("Provider market review slipping.")


# --- 3. Not theirs -------------------------------------------------------------------------------


def test_journey_3_officer_cannot_update_an_action_they_do_not_lead(page, oscar, action):
    login(page, oscar)
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    expect(page.get_by_text("You do not lead any actions yet")).to_be_visible()

    page.goto(action.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Action {action.number}")
    expect(page.locator('form[action$="/progress/"]')).to_have_count(0)
    expect(page.locator('form[action$="/propose-completion/"]')).to_have_count(0)
    expect(page.locator("#no-update")).to_have_text("Only the action's leads, their managers and admins can update this action.")
    screenshot(page, "no-form")

    before = (ProgressUpdate.objects.count(), Action.objects.get(pk=action.pk).version)
    token = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    day = today()
    response = page.request.post(
        f"/actions/{action.pk}/progress/",
        form={
            "date_0": str(day.day), "date_1": str(day.month), "date_2": str(day.year),
            "narrative": "Not mine to report", "status": rag.ON_TRACK,
            "version": str(action.version), "seen_update_id": "0",
        },
        headers={"X-CSRFToken": token},
        max_redirects=0,
    )
    assert response.status == 403
    body = response.text()
    assert "Only the action&#x27;s leads, their managers and admins may update it." in body, (
        "The 403 must be the permission check, not a CSRF failure"
    )
    response = page.request.post(
        f"/actions/{action.pk}/propose-completion/",
        form={"narrative": "", "version": str(action.version), "seen_update_id": "0"},
        headers={"X-CSRFToken": token},
        max_redirects=0,
    )
    assert response.status == 403
    assert (ProgressUpdate.objects.count(), Action.objects.get(pk=action.pk).version) == before
    assert Action.objects.get(pk=action.pk).completion_proposed_on is None


# --- 4. Completion and sign-off ------------------------------------------------------------------


def test_journey_4_officer_proposes_completion_and_manager_confirms_it(new_page, olivia, mandy, lead, action):
    ActionFactory(area=action.area, number="2", timescale=f"March {today().year + 1}", leads=[lead])
    plan_url = action.plan.get_absolute_url()

    officer = login(new_page(), olivia)
    officer.goto(action.get_absolute_url())
    officer.get_by_text("The action is complete", exact=True).click()
    proposal = officer.locator("#propose")
    proposal.get_by_label("Evidence that the action is complete (optional)").fill(
        "Single risk assessment document in use since January; audit attached."
    )
    proposal.get_by_role("button", name="Propose completion").click()
    expect(officer.locator(".govuk-notification-banner--success")).to_contain_text("Completion proposed.")
    expect(officer.locator("#action-status")).to_contain_text("Completion proposed")
    expect(officer.locator("#action-rag .app-rag-reason")).to_contain_text("Completion proposed, awaiting a manager's sign-off")
    expect(officer.locator("#propose")).to_have_count(0)
    expect(officer.locator("[data-update]").first).to_contain_text(
        "Completion proposed. Single risk assessment document in use since January"
    )
    screenshot(officer, "proposed")

    manager = login(new_page(), mandy)
    manager.goto(plan_url)
    before = summary_counts(manager)
    assert before["blue"] == 0

    manager.get_by_role("link", name="Home", exact=True).click()
    awaiting = manager.locator("#awaiting + .app-table-wrap")
    expect(awaiting.locator(f'tr[data-action="{action.number}"]')).to_contain_text("Completion proposed")
    click_action_link(awaiting, action.number)
    expect(manager.get_by_role("heading", name="Sign off completion")).to_be_visible()
    screenshot(manager, "sign-off")
    manager.get_by_label("Yes, confirm completion").check()
    manager.get_by_label("Comment").fill("Evidence seen at the March board.")
    manager.get_by_role("button", name="Save decision").click()
    expect(manager.locator(".govuk-notification-banner--success")).to_contain_text("Completion confirmed")
    expect(manager.locator("#action-status")).to_have_text("Completed")
    expect(manager.locator("#action-rag .app-rag")).to_have_text("Blue")

    follow(manager, manager.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=action.plan.title))
    expect(manager.get_by_role("heading", level=1)).to_have_text(action.plan.title)
    after = summary_counts(manager)
    assert after["blue"] == before["blue"] + 1
    assert after["red"] == before["red"] - 1
    row = manager.locator(f'tr[data-action="{action.number}"]')
    expect(row).to_have_attribute("data-colour", "blue")
    expect(row.locator(".app-rag")).to_have_text("Blue")
    expect(row).to_contain_text("Completed")
    assert_summary_matches_rows(manager)
    screenshot(manager, "plan-after")

    officer.reload()
    expect(officer.locator("#action-status")).to_have_text("Completed")


# --- 5. Filtering plans --------------------------------------------------------------------------


def test_journey_5_manager_filters_plans_and_the_counts_add_up(page, mandy, demo_plans):
    kent, sefton, business = demo_plans["kent"], demo_plans["sefton"], demo_plans["business"]
    login(page, mandy)
    follow(page, page.get_by_role("link", name="Plans", exact=True))

    def shown():
        return {int(pk) for pk in page.locator("[data-plan]").evaluate_all("(c) => c.map((e) => e.dataset.plan)")}

    def apply(source="Any source", colour="Any colour", overdue=False):
        page.get_by_label("Source").select_option(label=source)
        page.get_by_label("Has actions rated").select_option(label=colour)
        page.get_by_label("Only plans with overdue actions").set_checked(overdue)
        follow(page, page.get_by_role("button", name="Apply filters"))

    assert shown() == {kent.pk, sefton.pk, business.pk}
    apply(source="CQC inspection")
    assert shown() == {sefton.pk}
    expect(page.get_by_role("status")).to_contain_text("1 plan found")
    apply(colour="Blue")
    assert shown() == {sefton.pk}
    apply(colour="Amber")
    assert shown() == {business.pk}
    apply(overdue=True)
    assert shown() == {kent.pk, sefton.pk}
    apply(source="Annual performance assessment", colour="Red", overdue=True)
    assert shown() == {kent.pk}
    assert "source=annual_performance_assessment" in page.url and "overdue=true" in page.url
    screenshot(page, "filtered")
    apply(source="Business plan", overdue=True)
    assert shown() == set()
    expect(page.get_by_text("No plans match these filters.")).to_be_visible()

    apply(overdue=True)
    card_counts = {}
    for badge in page.locator(f'[data-plan="{sefton.pk}"] .app-rag').all():
        count, word = badge.inner_text().split(" ", 1)
        card_counts[word.strip()] = int(count)
    follow(page, page.get_by_role("link", name=sefton.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(sefton.title)
    counts = assert_summary_matches_rows(page)
    # The Sefton file, rated today: 27 is not rated (a start, no end, no status reported).
    assert counts == {"red": 40, "amber": 0, "green": 7, "blue": 5, "grey": 1}, counts
    assert card_counts == {rag.COLOUR_LABELS[c]: n for c, n in counts.items() if n}
    screenshot(page, "sefton")

    page.go_back()
    follow(page, page.get_by_role("link", name="Clear filters"))
    follow(page, page.get_by_role("link", name=kent.title))
    expect(page.get_by_role("heading", level=1)).to_have_text(kent.title)
    assert_summary_matches_rows(page)
    page.goto(business.get_absolute_url())
    assert assert_summary_matches_rows(page) == {"red": 0, "amber": 3, "green": 0}
    expect(page.locator(".app-summary-counts + p")).to_contain_text("Overall: Amber")


# --- 6. Admin import -----------------------------------------------------------------------------

PLAN_HEADERS = "Plan,Source,Source date,Area,Recommendation No,Recommendation,Action No,Action,Leads,Timescale,Status,Progress,Progress date"
NEW_PLAN = "Northshire Adult Social Care Improvement Plan 2025"
GOOD_ROWS = [
    f'{NEW_PLAN},CQC assessment,2025-06-30,Safeguarding,1,"Make safeguarding enquiries timely",1,"Audit open enquiries monthly",Head of Safeguarding,March 2026,On track,"First audit done",2025-09-01',
    f'{NEW_PLAN},CQC assessment,2025-06-30,Safeguarding,1,"Make safeguarding enquiries timely",2,"Train every social worker in making safeguarding personal",Principal Social Worker,December 2030,,,',
    f'{NEW_PLAN},CQC assessment,2025-06-30,Workforce,2,"Reduce the use of agency staff",3,"Recruit ten permanent social workers",Head of Workforce,June 2030,At risk,"Four recruited so far",2025-10-15',
]


def write_csv(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("\n".join([PLAN_HEADERS, *rows]) + "\n", encoding="utf-8")
    return path


def admin_import(page, path):
    page.goto("/admin/actionplans/plan/import/")
    page.set_input_files("#id_import_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()


def test_journey_6_admin_imports_a_plan_csv(page, ada, tmp_path):
    login(page, ada)
    follow(page, page.get_by_role("link", name="Admin"))
    assert path_of(page) == "/admin/"

    # A file with bad rows shows them, row by row, and saves nothing.
    bad = write_csv(tmp_path, "bad.csv", [
        GOOD_ROWS[0],
        f'{NEW_PLAN},CQC assessment,2025-06-30,Safeguarding,1,"Make safeguarding enquiries timely",2,,Principal Social Worker,December 2030,,,',
        f'{NEW_PLAN},CQC assessment,2025-06-30,Workforce,2,"Reduce the use of agency staff",3,"Recruit ten permanent social workers",Head of Workforce,June 2030,At risk,"Four recruited",31/02/2025',
    ])
    admin_import(page, bad)
    expect(page.get_by_role("heading", name=re.compile("^Nothing was imported"))).to_be_visible()
    errors = page.locator("table.import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td").first).to_have_text("3")
    expect(errors.nth(0)).to_contain_text("is required and is empty")
    expect(errors.nth(1).locator("td").first).to_have_text("4")
    expect(errors.nth(1)).to_contain_text("'31/02/2025' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    screenshot(page, "bad-file")
    assert not Plan.objects.filter(title=NEW_PLAN).exists()
    assert Action.objects.count() == 0

    # A good file: preview, then confirm.
    admin_import(page, write_csv(tmp_path, "northshire.csv", GOOD_ROWS))
    preview = page.locator("table.import-preview")
    expect(preview).to_be_visible()
    expect(preview.locator("tbody tr")).to_have_count(3)
    expect(preview).to_contain_text("Recruit ten permanent social workers")
    assert not Plan.objects.filter(title=NEW_PLAN).exists(), "The preview must not save anything"
    screenshot(page, "preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_contain_text("Import finished")
    plan = Plan.objects.get(title=NEW_PLAN)
    assert plan.actions.count() == 3

    page.goto("/plans/")
    expect(page.locator(f'[data-plan="{plan.pk}"]')).to_contain_text("CQC assessment, 30 Jun 2025")
    follow(page, page.get_by_role("link", name=NEW_PLAN, exact=True))
    expect(page.locator("tr[data-action]")).to_have_count(3)
    expect(page.locator('tr[data-action="3"] .app-rag')).to_have_text("Amber")
    screenshot(page, "imported-plan")


# --- 7. Export -----------------------------------------------------------------------------------


def test_journey_7_manager_downloads_the_plan_and_it_matches_the_page(page, mandy, demo_plans):
    sefton = demo_plans["sefton"]
    login(page, mandy)
    page.goto(sefton.get_absolute_url())
    shown = page_actions(page)
    assert len(shown) == sefton.actions.count() == 53

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^CSV spreadsheet")).click()
    download = info.value
    assert download.suggested_filename == f"sefton-adult-social-care-improvement-plan-2010-as-at-{today().isoformat()}.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    from_csv = {row["Action No"]: (row["RAG"], row["RAG reason"]) for row in rows}
    assert len(from_csv) == len(rows)
    assert from_csv == shown

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Excel workbook")).click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    sheet = list(workbook["Plan"].iter_rows(values_only=True))
    headers = list(sheet[0])
    number, word, reason = headers.index("Action No"), headers.index("RAG"), headers.index("RAG reason")
    from_xlsx = {str(row[number]): (row[word], row[reason]) for row in sheet[1:]}
    assert from_xlsx == shown
    assert Counter(word for word, _ in shown.values()) == Counter(
        {rag.COLOUR_LABELS[c]: n for c, n in summary_counts(page).items() if n}
    )
