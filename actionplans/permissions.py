"""Who may change what. One helper per rule, used by views and templates alike.

- An officer may update the actions they lead.
- A manager may update, and sign off, any action of their unit and the units below it,
  except a completion they proposed themselves.
- An admin (a Django superuser) may do anything.
"""

from .models import OrganisationUnit, Profile


def is_admin(user):
    return user.is_authenticated and user.is_active and user.is_superuser


def profile_of(user):
    if not hasattr(user, "_profile_cache"):
        user._profile_cache = Profile.objects.select_related("unit").filter(user_id=user.pk).first()
    return user._profile_cache


def is_manager(user):
    profile = profile_of(user) if user.is_authenticated else None
    return bool(profile and profile.role == Profile.MANAGER)


def managed_unit_ids(user):
    """The units a manager answers for: their own and every unit below it."""
    if not hasattr(user, "_managed_unit_ids"):
        profile = profile_of(user) if user.is_authenticated else None
        if profile and profile.role == Profile.MANAGER and profile.unit_id:
            user._managed_unit_ids = OrganisationUnit.objects.subtree_ids(profile.unit)
        else:
            user._managed_unit_ids = set()
    return user._managed_unit_ids


def leads(user, action):
    return any(lead.user_id == user.pk for lead in action.leads.all())


def manages(user, action):
    return action.responsible_unit_id in managed_unit_ids(user)


def can_update(user, action):
    """May `user` add progress to `action` and propose its completion?"""
    if not (user.is_authenticated and user.is_active):
        return False
    return is_admin(user) or leads(user, action) or manages(user, action)


def can_sign_off(user, action):
    """May `user` confirm, or return, a proposed completion of `action`?

    Not the person who proposed it (unless an admin): sign-off is a second pair of eyes.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if is_admin(user):
        return True
    return manages(user, action) and action.completion_proposed_by_id != user.pk
