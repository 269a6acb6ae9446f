"""Issue 12, finding 11: the Content-Security-Policy breaks nothing. Pages load with the policy enforced (the
other browser tests bypass it to inject axe-core) and the browser refuses nothing on them: no
securitypolicyviolation event, no console message about the policy or the Permissions-Policy, and GOV.UK
Frontend's scripts, which run by the response's nonce, have run."""

import pytest

from .conftest import enforcing_page, login

pytestmark = pytest.mark.browser

def assert_nothing_refused(page, complaints, url):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    assert "Content-Security-Policy" in {name.title() for name in response.headers}, f"{url} has no policy"
    page.wait_for_load_state("load")
    violations = page.evaluate("() => window.__violations")
    assert not violations, f"{url}: the policy refused " + "; ".join(violations)
    assert not complaints, "\n".join(complaints)


def assert_govuk_frontend_ran(page):
    # The first inline script marks the body; the module script's initAll() marks each component it starts.
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
    assert page.evaluate("() => !!document.querySelector('[data-govuk-skip-link-init]')")


def test_the_services_pages_run_under_the_policy(new_page, mandy, plan, action):
    page, complaints = enforcing_page(new_page)
    assert_nothing_refused(page, complaints, "/login/")
    assert_govuk_frontend_ran(page)
    login(page, mandy)
    for url in ["/", plan.get_absolute_url(), action.get_absolute_url(), "/actions/", "/password/"]:
        assert_nothing_refused(page, complaints, url)
        assert_govuk_frontend_ran(page)


def test_the_admin_runs_under_the_policy(new_page, ada, plan, action):
    page, complaints = enforcing_page(new_page)
    login(page, ada)
    for url in [
        "/admin/",
        "/admin/actionplans/plan/",
        f"/admin/actionplans/plan/{plan.pk}/change/",
        f"/admin/actionplans/action/{action.pk}/change/",  # the leads' filter_horizontal widget, raw id lookups
        f"/admin/actionplans/action/{action.pk}/history/",
        "/admin/actionplans/plan/import/",
        "/admin/axes/accessattempt/",
    ]:
        assert_nothing_refused(page, complaints, url)
    # The admin's own scripts ran: the leads' two-box chooser is built by SelectFilter2.js.
    page.goto(f"/admin/actionplans/action/{action.pk}/change/")
    assert page.locator(".selector-available").count() == 1


def test_the_lockout_page_runs_under_the_policy(new_page, olivia):
    page, complaints = enforcing_page(new_page)
    page.goto("/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("olivia")
        page.get_by_label("Password").fill("not her password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Too many attempts to sign in"
    assert not page.evaluate("() => window.__violations"), "the lockout page broke the policy"
    assert not complaints, "\n".join(complaints)
    assert_govuk_frontend_ran(page)
