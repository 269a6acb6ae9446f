"""Publishing a report: its files and read model frozen for a meeting (`models.PublishedReport`).

The apps decide what a report is and who may publish it; this keeps what they publish, unchanged, and finds
the last one published so that a new report can say what changed since.
"""

import dataclasses
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from . import roles
from .models import PublishedFile, PublishedReport
from .queries import Compiled


def as_json(read_model):
    """A read model (frozen dataclasses) as the JSON stored beside its files: dates as ISO text, numbers as text."""
    return json.loads(json.dumps(dataclasses.asdict(read_model), cls=DjangoJSONEncoder))


@transaction.atomic
def publish(*, kind, subject_id, title, meeting, as_at, user, read_model, files):
    """Keep `files` ([(format, filename, content type, bytes)]) and `read_model` as published by `user` for `meeting`."""
    report = PublishedReport.objects.create(
        kind=kind, subject_id=subject_id, title=title, meeting=meeting.strip(), as_at=as_at, published_by=user,
        published_at=timezone.now(), read_model=as_json(read_model),
    )
    PublishedFile.objects.bulk_create(
        PublishedFile(
            report=report, file_format=file_format, filename=filename, content_type=content_type, content=content,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        for file_format, filename, content_type, content in files
    )
    return report


@dataclasses.dataclass(frozen=True)
class Published:
    """A report published for a meeting, as the list of published reports shows it."""

    pk: int
    meeting: str
    as_at: object  # a date
    published_at: object  # an aware datetime
    published_by: str  # the publisher's full name, else their username; "" when that account is gone
    formats: tuple  # its files' formats, in order: ("docx", "pdf", "xlsx")


# Read on a plan page and on the dashboard, nearly always to find none: compiled once (core.queries), as the ORM
# took a millisecond to build and run the query with its prefetch of files.
_PUBLISHED = Compiled(lambda kind, subject_id: PublishedReport.objects.filter(kind=kind, subject_id=subject_id).values_list(
    "pk", "meeting", "as_at", "published_at", "published_by__first_name", "published_by__last_name", "published_by__username"
))
_FORMATS = Compiled(lambda ids: PublishedFile.objects.filter(report_id__in=ids).order_by("file_format").values_list(
    "report_id", "file_format"))


def published(kind, subject_id=None):
    """The reports published of `kind` (for `subject_id`), newest first, with who published them and their files'
    formats (`Published`); never the files' bytes."""
    reports = _PUBLISHED.rows(kind, subject_id)
    formats = {}
    for report_id, file_format in _FORMATS.rows([row[0] for row in reports]):
        formats.setdefault(report_id, []).append(file_format)
    return [
        Published(
            pk, meeting, as_at, published_at, f"{first or ''} {last or ''}".strip() or username or "",
            tuple(formats.get(pk, ())),
        )
        for pk, meeting, as_at, published_at, first, last, username in reports
    ]


def latest_before(kind, subject_id, day):
    """The last report of `kind` published showing `day` or a day before it (its read model loaded), or None: what a
    report of `day` compares itself with."""
    return (
        PublishedReport.objects.filter(kind=kind, subject_id=subject_id, as_at__lte=day)
        .order_by("-published_at", "-id")
        .first()
    )


def can_read(user, report):
    """Who may download a published report: a plan's, anyone signed in (as its plan page); the performance
    report's, admins, managers and whoever published it (officers see only their own unit's indicators)."""
    if not roles.is_active(user):
        return False
    if report.kind == PublishedReport.PLAN:
        return True
    return roles.is_admin(user) or roles.is_manager(user) or report.published_by_id == user.pk
