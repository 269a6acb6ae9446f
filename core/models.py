"""Organisation units and the people in them: what every app needs to know who manages what."""

from django.conf import settings
from django.db import models


class OrganisationUnitQuerySet(models.QuerySet):
    def subtree_ids(self, unit):
        """The ids of `unit` and every unit below it (one query)."""
        if unit is None:
            return set()
        children = {}
        for unit_id, parent_id in self.values_list("id", "parent_id"):
            children.setdefault(parent_id, []).append(unit_id)
        found, queue = set(), [unit.pk if hasattr(unit, "pk") else unit]
        while queue:
            current = queue.pop()
            if current not in found:
                found.add(current)
                queue.extend(children.get(current, []))
        return found


class OrganisationUnit(models.Model):
    """Directorate > division > team, as DMT, DivMT and teams read the dashboards."""

    DIRECTORATE, DIVISION, TEAM = "directorate", "division", "team"
    LEVELS = [(DIRECTORATE, "Directorate"), (DIVISION, "Division"), (TEAM, "Team")]

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, blank=True, help_text="As committee papers write it, e.g. OPPD")
    level = models.CharField(max_length=20, choices=LEVELS, default=TEAM)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    objects = OrganisationUnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "parent"], name="unique_unit_name_in_parent")]

    def __str__(self):
        return self.name


class Profile(models.Model):
    """Where a user works and whether they manage there. Admins are Django superusers."""

    OFFICER, MANAGER = "officer", "manager"
    ROLES = [(OFFICER, "Officer"), (MANAGER, "Manager")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    unit = models.ForeignKey(OrganisationUnit, null=True, blank=True, on_delete=models.SET_NULL)
    role = models.CharField(max_length=20, choices=ROLES, default=OFFICER)

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
