"""The services that write to an action (actionplans.services), called directly: no HTTP.

Each checks what it must (NotAllowed), refuses a save made over someone else's
(EditConflict, listing what changed), and leaves the action's stored state equal to
the state computed from its history for today.
"""

import datetime

import pytest

from actionplans import rag, selectors, services, state
from actionplans.models import Action, ProgressUpdate
from core.periods import today

from ..factories import ActionFactory, AreaFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def fresh(action):
    return selectors.action_for_page(action.pk)


def assert_stored_state_is_computed(action):
    action = fresh(action)
    day = today()
    assert state.stored(action) == state.as_fields(action.state_on(day), day)


@pytest.fixture
def action_due_next_year(plan, lead):
    return ActionFactory(area=AreaFactory(plan=plan), number="2", timescale=f"December {today().year + 1}", leads=[lead])


@pytest.fixture
def proposed(olivia, action):
    services.propose_completion(action=action, author=olivia, narrative="Audit complete")
    return fresh(action)


# add_progress_update


def test_a_progress_update_is_recorded_with_its_author_and_sets_the_status(olivia, action_due_next_year):
    before = action_due_next_year.version
    update = services.add_progress_update(
        action=action_due_next_year, author=olivia, date=today(), narrative="  Audit tool agreed  ", status=rag.AT_RISK
    )
    assert (update.author, update.source, update.narrative) == (olivia, ProgressUpdate.WEB, "Audit tool agreed")
    action = fresh(action_due_next_year)
    assert action.version == before + 1
    assert (action.current_status, action.rag_colour, action.rag_reason) == (
        rag.AT_RISK, rag.AMBER, "At risk, as reported by the lead"
    )
    assert_stored_state_is_computed(action)


def test_a_lead_cannot_mark_completion_in_a_progress_update(olivia, action):
    with pytest.raises(services.NotAllowed, match="Propose completion instead"):
        services.add_progress_update(action=action, author=olivia, date=today(), narrative="Done", status=rag.COMPLETED)
    assert not ProgressUpdate.objects.exists()
    assert fresh(action).current_status == ""


def test_a_progress_update_over_someone_elses_is_refused_with_what_changed(olivia, mandy, action):
    seen_version = action.version
    services.add_progress_update(
        action=action, author=olivia, date=datetime.date(2010, 9, 30), narrative="Board agreed", status=rag.ON_TRACK
    )
    with pytest.raises(services.EditConflict) as conflict:
        services.add_progress_update(
            action=action, author=mandy, date=today(), narrative="Not yet", status=rag.OFF_TRACK,
            version=seen_version, seen_update_id=0,
        )
    (change,) = conflict.value.changes
    assert change.who == "Olivia Officer"
    assert change.what == "Progress update dated 30 Sep 2010, status On track: Board agreed"
    assert conflict.value.action.pk == action.pk
    assert ProgressUpdate.objects.count() == 1
    assert fresh(action).current_status == rag.ON_TRACK


def test_an_edit_of_the_details_is_a_conflict_too(olivia, action):
    seen_version = action.version
    action.text = "Reworded by the admin"
    action.save()
    with pytest.raises(services.EditConflict) as conflict:
        services.add_progress_update(
            action=action, author=olivia, date=today(), narrative="Note", version=seen_version, seen_update_id=0
        )
    (change,) = conflict.value.changes
    assert (change.who, change.what) == ("Someone else", "The action's details were edited")


def test_updates_already_seen_are_not_listed_as_changes(olivia, mandy, action):
    seen = services.add_progress_update(action=action, author=olivia, date=today(), narrative="Seen already")
    seen_version = fresh(action).version  # mandy opens the form now
    services.add_progress_update(action=action, author=olivia, date=today(), narrative="New one")
    with pytest.raises(services.EditConflict) as conflict:
        services.add_progress_update(
            action=action, author=mandy, date=today(), narrative="Late", version=seen_version, seen_update_id=seen.pk
        )
    assert [change.what.split(": ")[-1] for change in conflict.value.changes] == ["New one"]


def test_the_current_version_is_accepted(olivia, action):
    services.add_progress_update(
        action=action, author=olivia, date=today(), narrative="Fine", version=action.version, seen_update_id=0
    )
    assert action.progress_updates.count() == 1


# propose_completion


def test_a_proposal_is_recorded_but_does_not_complete_the_action(olivia, proposed):
    assert (proposed.completion_proposed_on, proposed.completion_proposed_by) == (today(), olivia)
    update = proposed.progress_updates.get()
    assert (update.narrative, update.status, update.author) == ("Completion proposed. Audit complete", "", olivia)
    assert proposed.current_status != rag.COMPLETED
    assert proposed.rag_reason.endswith("Completion proposed, awaiting a manager's sign-off")
    assert_stored_state_is_computed(proposed)


def test_a_completion_is_proposed_only_once(olivia, proposed):
    with pytest.raises(services.NotAllowed, match="already been proposed"):
        services.propose_completion(action=proposed, author=olivia, narrative="Again")
    assert proposed.progress_updates.count() == 1


def test_a_completed_action_cannot_be_proposed(olivia, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2011, 1, 1), status=rag.COMPLETED)
    with pytest.raises(services.NotAllowed, match="already completed"):
        services.propose_completion(action=fresh(action), author=olivia, narrative="")
    assert not fresh(action).completion_proposed


def test_a_proposal_over_someone_elses_update_is_refused(olivia, mandy, action):
    seen_version = action.version
    services.add_progress_update(action=action, author=mandy, date=today(), narrative="Checked", status=rag.ON_TRACK)
    with pytest.raises(services.EditConflict) as conflict:
        services.propose_completion(action=action, author=olivia, narrative="", version=seen_version, seen_update_id=0)
    assert [change.who for change in conflict.value.changes] == ["Mandy Manager"]
    assert not fresh(action).completion_proposed


# confirm_completion


def test_confirming_completes_the_action_from_today(mandy, proposed):
    services.confirm_completion(action=proposed, manager=mandy, comment=" Evidence seen ")
    action = fresh(proposed)
    confirmation = action.progress_updates.last()
    assert (confirmation.status, confirmation.source, confirmation.author, confirmation.date) == (
        rag.COMPLETED, ProgressUpdate.SIGN_OFF, mandy, today()
    )
    assert confirmation.narrative == "Completion confirmed. Evidence seen"
    assert (action.current_status, action.rag_colour, action.completion_proposed) == (rag.COMPLETED, rag.BLUE, False)
    assert action.completion_proposed_by is None
    assert_stored_state_is_computed(action)


def test_nothing_proposed_cannot_be_confirmed(mandy, action):
    with pytest.raises(services.NotAllowed, match="No completion has been proposed"):
        services.confirm_completion(action=action, manager=mandy)
    assert not ProgressUpdate.objects.exists()


def test_a_confirmation_over_someone_elses_is_refused(mandy, dmitri, proposed):
    seen_version = proposed.version
    services.return_completion(action=proposed, manager=dmitri, comment="Not yet")
    with pytest.raises(services.EditConflict) as conflict:
        services.confirm_completion(action=proposed, manager=mandy, version=seen_version, seen_update_id=0)
    assert any(change.who == "Dmitri Director" and "Completion returned: Not yet" in change.what for change in conflict.value.changes)
    assert fresh(proposed).current_status != rag.COMPLETED


# return_completion


def test_returning_keeps_the_action_open_with_the_comment(mandy, proposed):
    status_before = proposed.current_status
    services.return_completion(action=proposed, manager=mandy, comment=" No evidence of the audit yet ")
    action = fresh(proposed)
    returned = action.progress_updates.last()
    assert (returned.narrative, returned.status, returned.source) == (
        "Completion returned: No evidence of the audit yet", "", ProgressUpdate.SIGN_OFF
    )
    assert (action.completion_proposed, action.current_status) == (False, status_before)
    assert "Completion proposed" not in action.rag_reason
    assert_stored_state_is_computed(action)


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_needs_a_comment(mandy, proposed, comment):
    with pytest.raises(services.NotAllowed, match="Say why"):
        services.return_completion(action=proposed, manager=mandy, comment=comment)
    assert fresh(proposed).completion_proposed


def test_nothing_proposed_cannot_be_returned(mandy, action):
    with pytest.raises(services.NotAllowed, match="No completion has been proposed"):
        services.return_completion(action=action, manager=mandy, comment="Why?")


def test_a_return_over_someone_elses_is_refused(mandy, dmitri, proposed):
    seen_version = proposed.version
    services.confirm_completion(action=proposed, manager=dmitri)
    with pytest.raises(services.EditConflict):
        services.return_completion(action=proposed, manager=mandy, comment="No", version=seen_version, seen_update_id=0)
    assert fresh(proposed).current_status == rag.COMPLETED


# Every service leaves the stored state equal to the state computed from the history.


def add_update(action, olivia, mandy, status):
    services.add_progress_update(action=action, author=olivia, date=today(), narrative="Progress", status=status)


def propose(action, olivia, mandy, status):
    services.propose_completion(action=action, author=olivia, narrative="Done")


def propose_then_confirm(action, olivia, mandy, status):
    propose(action, olivia, mandy, status)
    services.confirm_completion(action=action, manager=mandy)


def propose_then_return(action, olivia, mandy, status):
    propose(action, olivia, mandy, status)
    services.return_completion(action=action, manager=mandy, comment="Not yet")


@pytest.mark.parametrize("write", [add_update, propose, propose_then_confirm, propose_then_return])
@pytest.mark.parametrize("timescale", ["March 2011", "Ongoing", "next year"])
@pytest.mark.parametrize("status", [rag.ON_TRACK, rag.AT_RISK, rag.OFF_TRACK, ""])
def test_each_service_stores_the_state_its_history_gives(olivia, mandy, plan, lead, write, timescale, status):
    if timescale == "next year":
        timescale = f"December {today().year + 1}"
    action = ActionFactory(area=AreaFactory(plan=plan), number="5", timescale=timescale, leads=[lead])
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=status)
    write(fresh(action), olivia, mandy, status)
    assert_stored_state_is_computed(action)
    assert fresh(action).rated_on == today()
