"""Organisation units and the people in them: what every app needs to know who manages what."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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


class PublishedReport(models.Model):
    """A report as it was published for a meeting: its rendered files and the read model behind them, frozen.

    Kept apart from the data it was made from (no foreign key into an app: `core` imports none), so that a
    paper sent to a committee can be downloaded later byte for byte as it was sent, whatever has changed
    since, and the next report can say what changed since it. `subject_id` is the plan's id for a plan
    report, and empty for the performance report (one dashboard for the directorate).
    """

    PLAN, PERFORMANCE = "plan", "performance"
    KINDS = [(PLAN, "Improvement plan report"), (PERFORMANCE, "Performance report")]

    kind = models.CharField(max_length=20, choices=KINDS)
    subject_id = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=300)
    meeting = models.CharField(max_length=200, help_text="The meeting it was published for, e.g. “DMT, 5 December 2013”")
    as_at = models.DateField(help_text="The day the report shows")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()
    read_model = models.JSONField(encoder=DjangoJSONEncoder, help_text="The figures behind the files, as rendered")

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["kind", "subject_id", "-published_at"], name="published_report_subject")]

    def __str__(self):
        return f"{self.title} ({self.meeting})"


class PublishedFile(models.Model):
    """One rendered file of a published report, as bytes in the database: no file store to keep in step with it,
    and its SHA-256 to show it is unchanged."""

    report = models.ForeignKey(PublishedReport, on_delete=models.CASCADE, related_name="files")
    file_format = models.CharField(max_length=10)
    filename = models.CharField(max_length=300)
    content_type = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["report", "file_format"]
        constraints = [models.UniqueConstraint(fields=["report", "file_format"], name="one_file_per_format")]

    def __str__(self):
        return self.filename
