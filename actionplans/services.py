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
from .models import Action, ProgressUpdate


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


@transaction.atomic
def propose_completion(*, action, author, narrative, version=None, seen_update_id=None):
    action = _lock(action, version, seen_update_id)
    if action.status_on(today()) == rag.COMPLETED:
        raise NotAllowed("This action is already completed.")
    if action.completion_proposed:
        raise NotAllowed("Completion has already been proposed and awaits a manager's sign-off.")
    day = today()
    ProgressUpdate.objects.create(
        action=action, date=day, narrative=f"Completion proposed. {narrative.strip()}".strip(), author=author,
        source=ProgressUpdate.WEB,
    )
    action.completion_proposed_on = day
    action.completion_proposed_by = author
    action.save(update_fields=["completion_proposed_on", "completion_proposed_by", "version", "updated_at"])
    return state.refresh_action(action)


@transaction.atomic
def confirm_completion(*, action, manager, comment="", version=None, seen_update_id=None):
    """A manager confirms a proposed completion: from today the action counts as completed."""
    action = _lock(action, version, seen_update_id)
    if not action.completion_proposed:
        raise NotAllowed("No completion has been proposed for this action.")
    ProgressUpdate.objects.create(
        action=action, date=today(), status=rag.COMPLETED, author=manager, source=ProgressUpdate.SIGN_OFF,
        narrative=f"Completion confirmed. {comment.strip()}".strip(),
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
    action.save(update_fields=["completion_proposed_on", "completion_proposed_by", "version", "updated_at"])
