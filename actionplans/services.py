"""Business actions on plans that write: progress, completion and sign-off.

Each takes keyword arguments, checks what it must, and runs in one transaction.
Views check permissions (`permissions.py`) before calling them; the services
re-check the version so that two people editing one action cannot silently
overwrite each other.
"""

from django.db import transaction
from django.db.models import F

from core.history import Change
from core.periods import today

from . import rag, state
from .models import Action, Milestone, ProgressUpdate


class EditConflict(Exception):
    """Someone else changed the action after the form was shown."""

    def __init__(self, action, changes):
        super().__init__(f"{action} was changed by someone else while you were editing it")
        self.action = action
        self.changes = changes


class NotAllowed(Exception):
    pass


def _lock(action, version, seen_update_id):
    """Lock the action row; raise EditConflict when it moved on since the form was shown."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if version is not None and locked.version != version:
        newer = ProgressUpdate.objects.filter(action=locked, id__gt=seen_update_id or 0).select_related("author")
        changes = [
            Change(
                when=update.created_at,
                who=update.author_name,
                what=(
                    f"{update.get_source_display()} dated {update.date:%-d %b %Y}"
                    + (f", status {update.status_label}" if update.status else "")
                    + (f": {update.narrative}" if update.narrative else "")
                ),
            )
            for update in newer
        ]
        if not changes:
            changes = [Change(when=locked.updated_at, who="Someone else", what="The action's details were edited")]
        raise EditConflict(locked, changes)
    return locked


def _touch(action):
    # Bump the version without a save(): no field changed, so no history row is wanted.
    Action.objects.filter(pk=action.pk).update(version=F("version") + 1)


@transaction.atomic
def add_progress_update(*, action, author, date, narrative, status="", version=None, seen_update_id=None):
    """Record dated progress and the status it sets; leads cannot mark completion here."""
    action = _lock(action, version, seen_update_id)
    if status == rag.COMPLETED:
        raise NotAllowed("Propose completion instead: a manager confirms it.")
    update = ProgressUpdate.objects.create(
        action=action, date=date, narrative=narrative.strip(), status=status, author=author, source=ProgressUpdate.WEB
    )
    _touch(action)
    state.refresh_action(action)
    return update


def _day(value):
    return f"{value:%-d %b %Y}"


@transaction.atomic
def propose_completion(*, action, author, narrative, finished_on=None, version=None, seen_update_id=None):
    """The lead says the work is done, and on which day (today when not said); a manager confirms it."""
    action = _lock(action, version, seen_update_id)
    day = today()
    finished_on = finished_on or day
    if action.status_on(day) == rag.COMPLETED:
        raise NotAllowed("This action is already completed.")
    if action.completion_proposed:
        raise NotAllowed("Completion has already been proposed and awaits a manager's sign-off.")
    if finished_on > day:
        raise NotAllowed("The work cannot have finished after today.")
    latest_status_on = action.latest_status_reported_on()
    if latest_status_on and finished_on < latest_status_on:
        raise NotAllowed(f"The work cannot have finished before the latest status reported, {_day(latest_status_on)}.")
    finished = "" if finished_on == day else f" The work was finished on {_day(finished_on)}."
    ProgressUpdate.objects.create(
        action=action, date=day, narrative=f"Completion proposed.{finished} {narrative.strip()}".strip(),
        author=author, source=ProgressUpdate.WEB,
    )
    action.completion_proposed_on = day
    action.completion_proposed_by = author
    action.completion_finished_on = finished_on
    action.save(
        update_fields=[
            "completion_proposed_on", "completion_proposed_by", "completion_finished_on", "version", "updated_at",
        ]
    )
    return state.refresh_action(action)


@transaction.atomic
def confirm_completion(*, action, manager, comment="", version=None, seen_update_id=None):
    """A manager confirms a proposed completion: the action counts as completed from the day the lead
    said the work was finished (DOMAIN.md "As at" uses the dates of the business), or from the latest
    progress update if one came later, so that no earlier-dated status is read after the completion."""
    action = _lock(action, version, seen_update_id)
    if not action.completion_proposed:
        raise NotAllowed("No completion has been proposed for this action.")
    day = today()
    latest_status_on = action.latest_status_reported_on()
    completed_on = action.completion_finished_on or day
    if latest_status_on and latest_status_on > completed_on:
        completed_on = latest_status_on
    confirmed = f"Completion confirmed on {_day(day)}." if completed_on != day else "Completion confirmed."
    ProgressUpdate.objects.create(
        action=action, date=completed_on, status=rag.COMPLETED, author=manager, source=ProgressUpdate.SIGN_OFF,
        narrative=f"{confirmed} {comment.strip()}".strip(),
    )
    _clear_proposal(action)
    return state.refresh_action(action)


@transaction.atomic
def return_completion(*, action, manager, comment, version=None, seen_update_id=None):
    """A manager returns a proposed completion with a comment; the action stays open."""
    if not comment.strip():
        raise NotAllowed("Say why the completion is returned.")
    action = _lock(action, version, seen_update_id)
    if not action.completion_proposed:
        raise NotAllowed("No completion has been proposed for this action.")
    ProgressUpdate.objects.create(
        action=action, date=today(), author=manager, source=ProgressUpdate.SIGN_OFF,
        narrative=f"Completion returned: {comment.strip()}",
    )
    _clear_proposal(action)
    return state.refresh_action(action)


def _clear_proposal(action):
    action.completion_proposed_on = None
    action.completion_proposed_by = None
    action.completion_finished_on = None
    action.save(
        update_fields=[
            "completion_proposed_on", "completion_proposed_by", "completion_finished_on", "version", "updated_at",
        ]
    )


@transaction.atomic
def complete_milestone(*, milestone, author, completed_on):
    """A lead marks a milestone of their action done on a day. The action's own fields do not change, so its
    version stays: a progress form open in another tab is not told someone edited the action."""
    if completed_on > today():
        raise NotAllowed("A milestone cannot be done after today.")
    # Locked and read again: a second press of the button waits, then finds it done, and never moves the date.
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.completed:
        raise NotAllowed("This milestone is already marked done.")
    milestone.completed = True
    milestone.completed_on = completed_on
    milestone._history_user = author
    milestone.save(update_fields=["completed", "completed_on"])
    return milestone
