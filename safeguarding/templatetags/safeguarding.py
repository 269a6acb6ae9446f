"""`{{ user|sees_safeguarding }}`: whether the menu offers Safeguarding (the read rule of `permissions`)."""

from django import template

from core import roles

from .. import permissions

register = template.Library()


@register.filter
def sees_safeguarding(user):
    """Admins always (0 queries: their page says when no team is set up); anyone else when they see a team,
    asked once a request (cached on the user, as `core.roles` caches its answers)."""
    if roles.is_admin(user):
        return True
    if not roles.is_active(user):
        return False
    if not hasattr(user, "_sees_safeguarding"):
        user._sees_safeguarding = permissions.teams_visible_to(user).exists()
    return user._sees_safeguarding
