"""Who may enter an indicator's readings: its accountable officer (a lead linked to their login), the managers
of its unit and the units above it, and admins; an indicator with no unit, the managers of a directorate (who see
it, selectors.visible_indicators). The data entry page builds its forms from `enterable_by` alone."""

from django.db.models import Q

from core import roles

from .models import Indicator


def enterable_by(user):
    """The indicators `user` may enter readings for."""
    if roles.is_admin(user):
        return Indicator.objects.all()
    if not roles.is_active(user):
        return Indicator.objects.none()
    rule = Q(accountable__user=user) | Q(unit_owner__in=roles.managed_unit_ids(user))
    profile = roles.profile_of(user)
    if roles.is_manager(user) and profile.unit_id and profile.unit.parent_id is None:
        rule |= Q(unit_owner__isnull=True)
    return Indicator.objects.filter(rule)


def can_publish_report(user):
    """May `user` publish the performance report for a meeting? Managers who answer for units, and admins; not
    officers (a published report speaks for the directorate)."""
    return roles.is_admin(user) or (roles.is_manager(user) and roles.oversees_units(user))
