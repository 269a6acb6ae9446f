"""Who may see and who may enter safeguarding figures.

Seeing: the `core` read rule (`roles.visible_to`) on the team's unit: the people whose unit is the safeguarding
team's or above it (officers of their own unit and below, managers of the units they answer for), and admins.
Entering a quarter's figures: admins, the managers who answer for the team's unit, and the team's own officers.
The pages and the menu build on these two alone.
"""

from core import roles

from .models import Team


def teams_visible_to(user):
    return roles.visible_to(user, Team.objects.select_related("unit"))


def can_see(user, team):
    return roles.is_admin(user) or team.unit_id in (
        roles.managed_unit_ids(user) if roles.is_manager(user) else roles.own_unit_ids(user)
    )


def can_enter(user, team):
    if roles.is_admin(user):
        return True
    if not roles.is_active(user):
        return False
    if team.unit_id in roles.managed_unit_ids(user):
        return True
    profile = roles.profile_of(user)
    return bool(profile and profile.unit_id == team.unit_id)
