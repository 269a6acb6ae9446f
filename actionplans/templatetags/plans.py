from django import template

from .. import permissions

register = template.Library()


@register.filter
def can_update(action, user):
    """{% if action|can_update:request.user %}: the same rule the views enforce."""
    return permissions.can_update(user, action)


@register.filter
def is_manager(user):
    return permissions.is_manager(user)
