"""Imports and web edits of one plan at the same time, on PostgreSQL, where they really run at once.

Each race is made certain rather than left to timing: one side is held inside its transaction
(by wrapping the step it has reached) until PostgreSQL shows the other side waiting on a lock,
or finished; then it is let go. Afterwards the database holds every web edit, and every
import's rows exactly once, and no thread raised (issue 12, findings 2 and 5).

SQLite runs one writer at a time (transactions begin IMMEDIATE): there is no race to make
there, and tests/core/test_sqlite.py shows its writers wait rather than fail.
"""

import functools
import threading
import time
from collections import Counter

import pytest
from django.db import connection, connections

from actionplans import rag, services, spreadsheet, state
from actionplans.models import Action, Lead, Milestone, Plan, ProgressUpdate
from actionplans.spreadsheet import save as plan_save
from core.periods import today

from ..factories import UserFactory
from .test_spreadsheet import action_row, csv_bytes, milestone_row
from .test_state import assert_stored_equals_history

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's concurrent writers"),
    pytest.mark.django_db(transaction=True),
]

PLAN = "Plan imported while it is edited"
SIZE = 300
LEADS = 7
# Seconds: far beyond what any step needs. A bound, not a timing: a test still waiting then has deadlocked.
BOUND = 60
# No "Completed" column: the file says nothing about whether a milestone is done.
MILESTONE_HEADERS = ["Plan", "Action No", "Milestone", "Date"]


def plan_file(revision, title=PLAN, size=SIZE):
    """(plan CSV, milestones CSV) of `size` actions, each with a lead, progress and a milestone.
    Each revision rewords every action, reports progress a month later and moves every milestone."""
    rows = [
        action_row(
            f"{n + 1}", Plan=title, Area=f"Area {n % 3}", Action=f"Action {n + 1}, revision {revision}",
            Leads=f"Lead {n % LEADS}", Timescale="March 2011", Status="On track",
            Progress=f"Progress on {n + 1}, revision {revision}", Progress_date=f"2010-{6 + revision:02}-30",
        )
        for n in range(size)
    ]
    milestones = [
        milestone_row(f"{n + 1}", f"Milestone of {n + 1}", f"June {2011 + revision}", plan=title)[:4]
        for n in range(size)
    ]
    return csv_bytes(rows), csv_bytes(milestones, MILESTONE_HEADERS)


def import_revision(revision, title=PLAN):
    data, milestones = plan_file(revision, title)
    return spreadsheet.import_plan_file(data, "plan.csv", milestone_data=milestones, milestone_filename="m.csv")


class Running(threading.Thread):
    """`work` in a thread of its own, with a database connection of its own; keeps what it returned or raised."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work, self.result, self.error = work, None, None
        self.start()

    def run(self):
        try:
            self.result = self.work()
        except BaseException as error:  # noqa: BLE001 - reported by the test, whatever it was
            self.error = error
        finally:
            connections.close_all()


class Held:
    """`function` wrapped (`.wrapper`, to patch in its place) so that calls wait until `go` is set: before
    they run, or once they have run (`after`), still inside the caller's transaction; every call, or the first."""

    def __init__(self, function, *, after=False, first_only=False):
        self.go = threading.Event()
        self.calls = 0
        count = threading.Lock()

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with count:
                self.calls += 1
                hold = not first_only or self.calls == 1
            if hold and not after:
                self.go.wait(BOUND)
            result = function(*args, **kwargs)
            if hold and after:
                self.go.wait(BOUND)
            return result

        self.wrapper = wrapper


def waiting_on_locks():
    """How many connections to the test database wait for a lock another transaction holds."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_until(condition, what):
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.02)


def finish(threads, *holds):
    for hold in holds:
        hold.go.set()
    for thread in threads:
        thread.join(BOUND)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    errors = [repr(thread.error) for thread in threads if thread.error is not None]
    assert errors == []


# --- An import and web edits of the same plan ----------------------------------------------


@pytest.fixture
def edited_plan(transactional_db):
    """The plan after a first import, with completion proposed on actions 1 to 3 (for managers to sign off)."""
    import_revision(0)
    officer, manager = UserFactory(username="officer"), UserFactory(username="manager")
    for number in ("1", "2", "3"):
        services.propose_completion(action=numbered(number), author=officer, narrative="Done before the import.")
    return officer, manager


def numbered(number):
    return Action.objects.get(plan__title=PLAN, number=number)


def web_edits(officer, manager):
    """One web edit a thread, of twelve actions: (the edit, the action's number, how much it bumps the version)."""
    day = today()
    milestone_of = {number: Milestone.objects.get(action=numbered(number)) for number in ("10", "11", "12")}
    edits = [
        (functools.partial(services.confirm_completion, action=numbered("1"), manager=manager), "1", 1),
        (functools.partial(services.confirm_completion, action=numbered("2"), manager=manager), "2", 1),
        (functools.partial(services.return_completion, action=numbered("3"), manager=manager, comment="Not yet"), "3", 1),
    ]
    for number in ("4", "5", "6"):
        edit = functools.partial(services.propose_completion, action=numbered(number), author=officer, narrative="Finished")
        edits.append((edit, number, 1))
    for number in ("7", "8", "9"):
        edit = functools.partial(
            services.add_progress_update, action=numbered(number), author=officer, date=day,
            narrative=f"Web update of {number}", status=rag.AT_RISK,
        )
        edits.append((edit, number, 1))
    for number, milestone in milestone_of.items():
        # A milestone done changes no field of its action, so leaves its version alone (services).
        edit = functools.partial(services.complete_milestone, milestone=milestone, author=officer, completed_on=day)
        edits.append((edit, number, 0))
    return edits


def assert_every_web_edit_and_the_import_kept(versions_before, bumps):
    day = today()
    actions = {action.number: action for action in Action.objects.filter(plan__title=PLAN)}
    # The import's own changes.
    assert len(actions) == SIZE
    assert all(action.text.endswith(", revision 1") for action in actions.values())
    assert Milestone.objects.filter(action__plan__title=PLAN, date_text="June 2012").count() == SIZE
    # Every web edit.
    for number in ("1", "2"):
        assert actions[number].current_status == rag.COMPLETED and actions[number].completion_proposed_on is None
    assert actions["3"].completion_proposed_on is None
    assert actions["3"].progress_updates.filter(narrative="Completion returned: Not yet").count() == 1
    for number in ("4", "5", "6"):
        assert actions[number].completion_proposed_on == day
        assert actions[number].progress_updates.filter(narrative__startswith="Completion proposed.").count() == 1
    for number in ("7", "8", "9"):
        assert actions[number].progress_updates.filter(narrative=f"Web update of {number}").count() == 1
        assert actions[number].current_status == rag.AT_RISK
    for number in ("10", "11", "12"):
        milestone = Milestone.objects.get(action=actions[number])
        assert (milestone.completed, milestone.completed_on, milestone.date_text) == (True, day, "June 2012")
    # Nothing twice: two updates an action from the two revisions, and the web's.
    web = 3 + 3 + 3 + 3  # proposals before the import, sign-offs, proposals, progress (a milestone adds none)
    assert ProgressUpdate.objects.filter(action__plan__title=PLAN).count() == 2 * SIZE + web
    # The import changed every action (+1), and each web edit bumped its own as it always does.
    versions = {number: action.version for number, action in actions.items()}
    assert versions == {number: version + 1 + bumps[number] for number, version in versions_before.items()}
    assert_stored_equals_history()


def test_web_edits_made_while_an_import_holds_the_plan_wait_for_it_and_are_all_kept(monkeypatch, edited_plan):
    edits = web_edits(*edited_plan)
    versions_before = dict(Action.objects.filter(plan__title=PLAN).values_list("number", "version"))
    bumps = Counter({number: bump for _, number, bump in edits})
    # The import is held once it has read the plan and worked out what to write: its transaction is open.
    held_import = Held(plan_save.save)
    monkeypatch.setattr(plan_save, "save", held_import.wrapper)
    importing = Running(lambda: import_revision(1))
    threads = [importing]
    try:
        wait_until(lambda: held_import.calls == 1, "the import to read the plan")
        web = [Running(edit) for edit, _, _ in edits]
        threads += web
        wait_until(
            lambda: waiting_on_locks() == len(web) or not all(thread.is_alive() for thread in web),
            "every web edit to wait for the import",
        )
        # Each waits for a row the import has read and may write, milestones too: none is saved meanwhile.
        saved_meanwhile = sum(not thread.is_alive() for thread in web)
    finally:
        finish(threads, held_import)
    assert saved_meanwhile == 0
    assert importing.result.actions_updated == SIZE
    assert_every_web_edit_and_the_import_kept(versions_before, bumps)


def test_an_import_started_while_web_edits_are_being_saved_reads_them_and_keeps_them(monkeypatch, edited_plan):
    edits = web_edits(*edited_plan)
    versions_before = dict(Action.objects.filter(plan__title=PLAN).values_list("number", "version"))
    bumps = Counter({number: bump for _, number, bump in edits})
    # Each web edit is held once it has written, before it commits; the import starts then.
    held_services = Held(state.refresh_action, after=True)
    held_milestones = Held(Milestone.save, after=True)
    monkeypatch.setattr(state, "refresh_action", held_services.wrapper)
    monkeypatch.setattr(Milestone, "save", held_milestones.wrapper)
    web = [Running(edit) for edit, _, _ in edits]
    threads = list(web)
    try:
        wait_until(lambda: held_services.calls + held_milestones.calls == len(web), "every web edit to write")
        importing = Running(lambda: import_revision(1))
        threads.append(importing)
        wait_until(lambda: waiting_on_locks() > 0 or not importing.is_alive(), "the import to wait for the web edits")
    finally:
        finish(threads, held_services, held_milestones)
    assert importing.result.actions_updated == SIZE
    assert_every_web_edit_and_the_import_kept(versions_before, bumps)


# --- Two imports at once -------------------------------------------------------------------


def two_imports_at_once(monkeypatch, first, second):
    """Run `first` and hold it inside its transaction once it has read the database; run `second` until
    it waits for a lock (or is done); then let both finish. Their results, in that order."""
    held = Held(plan_save.save, first_only=True)
    monkeypatch.setattr(plan_save, "save", held.wrapper)
    one = Running(first)
    threads = [one]
    try:
        wait_until(lambda: held.calls == 1, "the first import to read the plan")
        two = Running(second)
        threads.append(two)
        wait_until(lambda: waiting_on_locks() > 0 or not two.is_alive(), "the second import to wait for the first")
    finally:
        finish(threads, held)
    return one.result, two.result


def plan_counts(title=PLAN):
    return {
        "actions": Action.objects.filter(plan__title=title).count(),
        "progress updates": ProgressUpdate.objects.filter(action__plan__title=title).count(),
        "milestones": Milestone.objects.filter(action__plan__title=title).count(),
    }


def test_two_imports_of_the_same_file_at_once_save_it_once(monkeypatch):
    import_revision(0)
    first, second = two_imports_at_once(monkeypatch, lambda: import_revision(1), lambda: import_revision(1))
    assert plan_counts() == {"actions": SIZE, "progress updates": 2 * SIZE, "milestones": SIZE}
    assert Plan.objects.count() == 1 and Lead.objects.count() == LEADS
    assert (first.actions_updated, first.progress_updates, first.milestones_updated) == (SIZE, SIZE, SIZE)
    # The second waited for the first and found it had nothing left to do.
    assert (second.actions_updated, second.progress_updates, second.milestones_updated) == (0, 0, 0)
    assert second.message.endswith("Nothing changed.")


def test_two_imports_of_a_new_plan_at_once_create_it_once(monkeypatch):
    first, second = two_imports_at_once(monkeypatch, lambda: import_revision(0), lambda: import_revision(0))
    assert plan_counts() == {"actions": SIZE, "progress updates": SIZE, "milestones": SIZE}
    assert Plan.objects.count() == 1 and Lead.objects.count() == LEADS
    assert (first.actions_created, second.actions_created, second.actions_unchanged) == (SIZE, 0, SIZE)


def test_two_new_plans_naming_the_same_new_leads_imported_at_once_create_each_lead_once(monkeypatch):
    other = "Another plan with the same leads"
    first, second = two_imports_at_once(monkeypatch, lambda: import_revision(0), lambda: import_revision(0, other))
    assert plan_counts() == plan_counts(other) == {"actions": SIZE, "progress updates": SIZE, "milestones": SIZE}
    assert Lead.objects.count() == LEADS
    assert (len(first.leads_created), len(second.leads_created)) == (LEADS, 0)
