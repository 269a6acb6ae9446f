"""Who someone is in the directorate: admin, manager of some units, or officer.

Every app's permission helpers build on these; the answers are cached on the
user object, so a page asks the database once however often it asks.

- An admin is a Django superuser and may do and see anything.
- A manager answers for their profile's unit and every unit below it.
- `visible_to` is the read rule for data that is not for everyone (safeguarding
  audits, for example): admins see all of it, managers the units they answer for,
  officers their own unit and the units below it, anyone else none.
"""

from django.db.models import Q

from core.models import OrganisationUnit, Profile


def is_active(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_admin(user):
    return is_active(user) and user.is_superuser


def profile_of(user):
    if not is_active(user):
        return None
    if not hasattr(user, "_profile_cache"):
        user._profile_cache = Profile.objects.select_related("unit").filter(user_id=user.pk).first()
    return user._profile_cache


def is_manager(user):
    profile = profile_of(user)
    return bool(profile and profile.role == Profile.MANAGER)


def managed_unit_ids(user):
    """The units a manager answers for: their own and every unit below it (empty for anyone else)."""
    if not is_active(user):
        return set()
    if not hasattr(user, "_managed_unit_ids"):
        profile = profile_of(user)
        if profile and profile.role == Profile.MANAGER and profile.unit_id:
            user._managed_unit_ids = OrganisationUnit.objects.subtree_ids(profile.unit_id)
        else:
            user._managed_unit_ids = set()
    return user._managed_unit_ids


def oversees_units(user):
    """Whether `user` answers for units (a manager with a unit, or an admin): their home shows the counts."""
    return is_admin(user) or bool(is_manager(user) and managed_unit_ids(user))


def own_unit_ids(user):
    """The user's own unit and the units below it."""
    if not is_active(user):
        return set()
    if not hasattr(user, "_own_unit_ids"):
        profile = profile_of(user)
        user._own_unit_ids = OrganisationUnit.objects.subtree_ids(profile.unit_id) if profile and profile.unit_id else set()
    return user._own_unit_ids


def visible_to(user, queryset, unit_field="unit"):
    """`queryset` narrowed to the rows `user` may read, by the unit each row belongs to."""
    if is_admin(user):
        return queryset
    units = managed_unit_ids(user) if is_manager(user) else own_unit_ids(user)
    if not units:
        return queryset.none()
    return queryset.filter(Q(**{f"{unit_field}__in": units}))
