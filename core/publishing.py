"""Publishing a report: its files and read model frozen for a meeting (`models.PublishedReport`).

The apps decide what a report is and who may publish it; this keeps what they publish, unchanged, and finds
the last one published so that a new report can say what changed since.
"""

import dataclasses
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from . import roles
from .models import PublishedFile, PublishedReport


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


def published(kind, subject_id=None):
    """The reports published of `kind` (for `subject_id`), newest first, with who published them and their formats;
    never the files' bytes."""
    return (
        PublishedReport.objects.filter(kind=kind, subject_id=subject_id)
        .select_related("published_by")
        .defer("read_model")
        .prefetch_related(Prefetch("files", queryset=PublishedFile.objects.defer("content").order_by("file_format")))
    )


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
