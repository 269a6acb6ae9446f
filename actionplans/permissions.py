"""Who may change what. One helper per rule, used by views and templates alike.

- An officer may update the actions they lead.
- A manager may update, and sign off, any action of their unit and the units below it,
  except a completion they proposed themselves.
- An admin (a Django superuser) may do anything.
"""

from core.roles import is_active, is_admin, managed_unit_ids


def leads(user, action):
    return any(lead.user_id == user.pk for lead in action.leads.all())


def manages(user, action):
    return action.responsible_unit_id in managed_unit_ids(user)


def can_update(user, action):
    """May `user` add progress to `action` and propose its completion?"""
    if not is_active(user):
        return False
    return is_admin(user) or leads(user, action) or manages(user, action)


def can_sign_off(user, action):
    """May `user` confirm, or return, a proposed completion of `action`?

    Not the person who proposed it (unless an admin): sign-off is a second pair of eyes.
    """
    if not is_active(user):
        return False
    if is_admin(user):
        return True
    return manages(user, action) and action.completion_proposed_by_id != user.pk


def can_publish(user, plan):
    """May `user` publish a report of `plan` for a meeting? A manager of the plan's unit (or a unit above it) and
    admins: a published report speaks for the unit. Officers may not."""
    if not is_active(user):
        return False
    return is_admin(user) or bool(plan.unit_id and plan.unit_id in managed_unit_ids(user))
