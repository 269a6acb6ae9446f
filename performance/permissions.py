"""Who may enter an indicator's readings: its accountable officer (a lead linked to their login), the managers
of its unit and the units above it, and admins. Views and templates ask these, and nothing else."""

from django.db.models import Q

from core import roles

from .models import Indicator


def enterable_by(user):
    """The indicators `user` may enter readings for."""
    if roles.is_admin(user):
        return Indicator.objects.all()
    if not roles.is_active(user):
        return Indicator.objects.none()
    return Indicator.objects.filter(Q(accountable__user=user) | Q(unit_owner__in=roles.managed_unit_ids(user)))


def can_enter(user, indicator):
    if roles.is_admin(user):
        return True
    if not roles.is_active(user):
        return False
    accountable = indicator.accountable
    return bool(accountable and accountable.user_id == user.pk) or indicator.unit_owner_id in roles.managed_unit_ids(user)
