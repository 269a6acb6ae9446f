"""Browser tests: Chromium driven by Playwright against pytest-django's `live_server`.

One Chromium per test session; a fresh browser context (cookies, storage) per
page, so every test starts signed out. The named users of tests/conftest.py
(olivia, oscar, mandy, ada) and the factories are reused; their password is
the factory's, "correct horse battery staple".

Helpers for the tests (import them: `from .conftest import login, ...`):

- `login(page, user)`: signs in through the real sign-in form;
- `assert_no_axe_violations(page, name)`: runs axe-core for WCAG 2.0/2.1/2.2 A and AA and
  fails listing every violation (with a full-page screenshot of the failing page);
- `check_page(page, name)`: axe, RAG in words and unique ids together;
- `assert_rag_in_words(page)`: RAG is never shown by colour alone;
- `screenshot(page, name)`: a full-page PNG in test-artifacts/screenshots/<test>-<name>.png.

Without Chromium at /usr/bin/chromium (or CHROMIUM_PATH) every test here is
skipped, and the run ends with a line that says so. Run them with
`.venv/bin/pytest tests/browser -q`.
"""

import os
import re
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SKIP_REASON = f"Chromium not found at {CHROMIUM} (apt-get install chromium): browser tests skipped"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 15_000


def _browser_unavailable():
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return SKIP_REASON
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]'): browser tests skipped"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _browser_unavailable()
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    # Printed whatever the verbosity (-q too), so `make test` says plainly why nothing ran in a browser.
    reason = _browser_unavailable()
    if not reason:
        return
    skipped = [report for report in terminalreporter.stats.get("skipped", []) if reason in str(report.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{reason} ({len(skipped)} tests)", yellow=True)


# --- Browser, contexts and pages -------------------------------------------------------------


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    """While Chromium runs, the Playwright sync API keeps an event loop running in the test thread,
    and Django refuses ORM calls ("async unsafe") unless DJANGO_ALLOW_ASYNC_UNSAFE is set.

    Set only for this package, and removed afterwards: left set, it would leak into the rest of
    the run (`manage.py check --deploy` in tests/core/test_settings.py fails with async.E001)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright):
    """One Chromium for the whole run of tests/browser (package scope: it is closed, and its
    event loop stopped, before the rest of the suite runs)."""
    reason = _browser_unavailable()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Make a page in a new browser context (its own cookies): one per person in a journey.

    The page ignores the Content-Security-Policy unless `enforce_csp=True`: axe-core is injected as an inline
    script, which the policy blocks (test_content_security_policy.py loads pages under the policy)."""
    opened = []

    def make(enforce_csp=False):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-GB",
            bypass_csp=not enforce_csp,
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        opened.append((context, errors))
        return page

    yield make
    js_errors = [error for _, errors in opened for error in errors]
    for context, _ in opened:
        context.close()
    assert not js_errors, "JavaScript errors in the page:\n" + "\n".join(js_errors)


@pytest.fixture
def page(new_page):
    return new_page()


# --- Helpers ---------------------------------------------------------------------------------


def login(page, user, password=PASSWORD, next_url=None):
    """Sign in through the sign-in form, as a person would (Enter submits); fails if the form refuses."""
    page.goto("/login/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_label("Password").press("Enter")  # the keyboard way; journey 1 clicks the button
    if "/login/" in page.url:
        summary = page.locator(".govuk-error-summary")
        problem = summary.inner_text() if summary.count() else "no error shown"
        raise AssertionError(f"Could not sign in as {user.get_username()}: {problem}")
    return page


def _test_name():
    current = os.environ.get("PYTEST_CURRENT_TEST", "test")
    return current.split("::")[-1].rsplit(" (", 1)[0]


def screenshot(page, name):
    """Save a full-page PNG to test-artifacts/screenshots/<test>-<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{_test_name()}-{name}").strip("-")
    path = SCREENSHOTS / f"{stem}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
    return "\n".join(lines)


def assert_no_axe_violations(page, name):
    """Run axe-core (WCAG 2.0, 2.1, 2.2 A and AA) on the page; fail listing every violation.

    On failure a full-page screenshot is saved as <test>-<name>-axe-failure.png.
    """
    assert AXE.exists(), f"axe-core not found at {AXE}: run `npm install`"
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (options) => {
            const results = await axe.run(document, options);
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.map(String), failureSummary: n.failureSummary})),
            }));
        }""",
        AXE_OPTIONS,
    )
    if violations:
        shot = screenshot(page, f"{name}-axe-failure")
        raise AssertionError(
            f"axe-core found {len(violations)} violation(s) on {name} ({page.url}); screenshot {shot}:\n"
            + _describe(violations)
        )


RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue", "grey": "Not rated"}


def assert_rag_in_words(page):
    """Every RAG shown (badges and summary counts) carries its colour as a word, not colour alone."""
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.app-rag, .app-summary-counts [data-colour]')].map((el) => ({
            classes: el.className, colour: el.dataset.colour || '', text: el.textContent.trim(),
        }))"""
    )
    for item in shown:
        colour = item["colour"] or next(
            (c for c in RAG_WORDS if re.search(rf"\bapp-rag--{c}\b", item["classes"])), None
        )
        assert colour, f"A RAG element names no colour: {item}"
        assert item["text"], f"A {colour} RAG element has no text: colour alone ({item})"
        assert RAG_WORDS[colour] in item["text"], f"A {colour} RAG element does not say '{RAG_WORDS[colour]}': {item}"
    return len(shown)


def tab_to(page, selector, max_presses=80):
    """Press Tab until the focused element matches `selector`; return how many presses it took."""
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return presses
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{max_presses} presses of Tab did not reach {selector}; focus is on {focused}")


def focused_matches(page, selector):
    return page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector)


# --- Realistic data --------------------------------------------------------------------------

FIXTURES = ROOT / "fixtures"
DEMO_FILES = ["kent_areas_of_improvement_2010_11", "sefton_improvement_plan_2010"]


@pytest.fixture
def demo_plans(division, olivia):
    """The real demo plans (Kent, Sefton) loaded through the importer, as `seed_demo` loads them,
    and a small business plan whose actions are not yet due. Sefton belongs to mandy's division,
    and olivia leads the actions of "Margaret Howard" (Kent) and the safeguarding co-ordinator (Sefton)."""
    from actionplans import rag, spreadsheet
    from actionplans.models import Lead, Plan
    from core.periods import today

    from ..factories import ActionFactory, AreaFactory, LeadFactory, PlanFactory, ProgressUpdateFactory

    plans = {}
    for stem in DEMO_FILES:
        result = spreadsheet.import_plan_file(
            (FIXTURES / f"{stem}.csv").read_bytes(),
            f"{stem}.csv",
            milestone_data=(FIXTURES / f"{stem}_milestones.csv").read_bytes(),
            milestone_filename=f"{stem}_milestones.csv",
        )
        for plan in result.plans:
            plans[stem.split("_")[0]] = plan
    plans["sefton"].unit = division
    plans["sefton"].save()
    Lead.objects.filter(name__in=["Margaret Howard", "Safeguarding co-ordinator"]).update(user=olivia)

    business = PlanFactory(
        title="Adult Social Care Business Plan 2026/27", source=Plan.BUSINESS_PLAN, unit=division, source_date=None
    )
    next_year = today().year + 1
    area = AreaFactory(plan=business, title="Priority 1: people live independently for longer", order=0)
    lead = LeadFactory(name="Head of Reablement", initials="HR", kind=Lead.POST)
    statuses = [rag.ON_COURSE, rag.DELAYED, ""]
    for number, status in enumerate(statuses, start=1):
        action = ActionFactory(area=area, number=str(number), timescale=f"March {next_year}", leads=[lead])
        if status:
            ProgressUpdateFactory(action=action, date=today(), status=status, narrative="Reported at the quarterly review.")
    plans["business"] = business
    return plans


def assert_unique_ids(page):
    """No two elements share an id (hidden inputs aside): a label or error link would name the wrong one."""
    duplicates = page.evaluate(
        """() => {
            const seen = {};
            for (const el of document.querySelectorAll('[id]:not(input[type=hidden])')) seen[el.id] = (seen[el.id] || 0) + 1;
            return Object.entries(seen).filter(([, n]) => n > 1).map(([id]) => id);
        }"""
    )
    assert not duplicates, f"Ids used more than once on {page.url}: {duplicates}"


def check_page(page, name, shot=False):
    """Everything the accessibility tests ask of a page: axe clean, RAG in words, unique ids.
    With shot=True, also save a full-page screenshot (kept for the key pages: long pages are slow to shoot)."""
    if shot:
        screenshot(page, name)
    assert_no_axe_violations(page, name)
    assert_rag_in_words(page)
    assert_unique_ids(page)


# --- The Content-Security-Policy, enforced (test_content_security_policy.py, test_indicators.py) ---------

# Runs before any script of the page (Playwright adds it through the browser, where the policy does not reach).
LISTEN_FOR_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || 'inline'} at ${event.sourceFile}:${event.lineNumber}`
));
"""


def enforcing_page(new_page):
    page = new_page(enforce_csp=True)
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    complaints = []
    page.on(
        "console",
        lambda message: complaints.append(f"{page.url}: {message.text}")
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
        else None,
    )
    return page, complaints
