"""Whether the menu offers Safeguarding (the read rule of `permissions`): `{{ user|sees_safeguarding }}` asks,
`{% safeguarding_in_menu as shown %}` asks at most every few minutes a session."""

import time

from django import template

from core import roles

from .. import permissions

register = template.Library()

# The menu's answer is kept in the session this long: asked on every page it cost every page up to three
# queries (the user's profile, the units below theirs, their teams). A link shown a few minutes late, or a few
# minutes too long, is harmless: each safeguarding page checks who may see it every time.
MENU_KEPT_SECONDS = 300
MENU_KEY = "menu_safeguarding"


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


@register.simple_tag(takes_context=True)
def safeguarding_in_menu(context):
    user, request = context.get("user"), context.get("request")
    session = getattr(request, "session", None)
    if session is None or roles.is_admin(user) or not roles.is_active(user):
        return sees_safeguarding(user)
    kept = session.get(MENU_KEY)
    if kept and kept.get("user") == user.pk and 0 <= time.time() - kept.get("at", 0) < MENU_KEPT_SECONDS:
        return kept["sees"]
    return _keep(session, user)


def _keep(session, user):
    sees = sees_safeguarding(user)
    session[MENU_KEY] = {"user": user.pk, "sees": sees, "at": time.time()}
    return sees


def menu_worked_out_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session anyway: the menu's answer goes in with it, so the first page asks nothing.

    Connected to user_logged_in in safeguarding.apps, as core connects its own (login() is Django's)."""
    if hasattr(request, "session") and roles.is_active(user) and not roles.is_admin(user):
        _keep(request.session, user)
