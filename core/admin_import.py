"""An import page in Django admin for any spreadsheet format: upload, preview, confirm.

A model's admin adds `ImportAdminMixin` and says what to import:

    class PlanAdmin(ImportAdminMixin, admin.ModelAdmin):
        import_label = "plans"
        import_columns = [("Plan rows", PLAN_COLUMNS)]
        import_function = import_plan_file  # (data, filename, *, dry_run) -> core.imports.ImportResult
        import_options_form = PlanImportOptions  # optional: its fields go to import_function as keywords

The page (`<model>/import/`, linked from the changelist) runs the import as a dry run
and shows, row by row, what it would do (new, updated, unchanged) with its warnings,
or every error (row, column, reason) with nothing saved. Confirming runs it for real
on the same bytes, kept on the server between the two steps under a random token
held in the session (the page only echoes it back, CSRF-protected), checked against
the digest taken at upload, and deleted afterwards.
"""

import hashlib
import os
import re
import secrets
import shutil
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .imports import UNCHANGED
from .spreadsheets import ImportErrors, RowError, SpreadsheetError, check_size

# A preview shows every row up to this many; beyond it, the rows that change something or carry a warning.
PREVIEW_EVERY_ROW_UP_TO = 500
# Uploads previewed and never confirmed or cancelled are removed after a day.
STALE_AFTER_SECONDS = 24 * 60 * 60
TOKEN = re.compile(r"^[0-9a-f]{32}$")


class UploadForm(forms.Form):
    import_file = forms.FileField(label="Spreadsheet", help_text="CSV (UTF-8) or XLSX")

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


# --- Uploads kept between preview and confirm -----------------------------------------------


def _staging_dir():
    base = Path(settings.IMPORT_STAGING_DIR)
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Another local user's folder (made first, in a shared place) could read or swap uploads.
    found = base.stat()
    if found.st_uid != os.getuid() or found.st_mode & 0o077:
        raise ImproperlyConfigured(
            f"IMPORT_STAGING_DIR {base} must belong to this service's user and be closed to others (chmod 700)."
        )
    return base


def digest(data):
    return hashlib.sha256(data).hexdigest()


def stage(data):
    """Keep an upload on the server; the token that finds it again."""
    base = _staging_dir()
    for old in base.iterdir():
        if old.is_dir() and time.time() - old.stat().st_mtime > STALE_AFTER_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    token = secrets.token_hex(16)
    folder = base / token
    folder.mkdir(mode=0o700)
    (folder / "upload").write_bytes(data)
    return token


def staged(token):
    """The bytes kept under `token`, or None when they are gone."""
    if not TOKEN.match(token or ""):
        return None
    try:
        return (_staging_dir() / token / "upload").read_bytes()
    except FileNotFoundError:
        return None


def discard(token):
    if TOKEN.match(token or ""):
        shutil.rmtree(_staging_dir() / token, ignore_errors=True)


# --- The admin mixin ------------------------------------------------------------------------


class ImportAdminMixin:
    import_label = ""  # what the rows are, plural: "plans"
    import_columns = ()  # [(heading, [core.spreadsheets.Column])], listed on the upload page
    import_function = None  # (data, filename, *, dry_run=False, **options) -> core.imports.ImportResult
    # A form of choices made beside the file (a plan's owning unit): its cleaned fields are passed to
    # import_function as keywords, and kept with the upload between preview and confirm.
    import_options_form = None
    change_list_template = "admin/core/change_list_with_import.html"

    def has_import_permission(self, request):
        """Add and change on the model; an admin whose import touches more models asks for theirs too."""
        opts = self.opts
        return all(request.user.has_perm(f"{opts.app_label}.{verb}_{opts.model_name}") for verb in ("add", "change"))

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        # Before the model admin's own URLs: "<object id>/" would take "import/" otherwise.
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name)] + super().get_urls()

    def import_url(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import", current_app=self.admin_site.name)

    def changelist_view(self, request, extra_context=None):
        context = {"import_label": self.import_label}
        if self.has_import_permission(request):
            context["import_url"] = self.import_url()
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def import_options_for(self, request):
        """Keywords for import_function that come from the request, not a form (who is importing)."""
        return {}

    def run_import_function(self, data, filename, dry_run, options=None):
        # Read from the class: a plain function set as a class attribute is not bound to the admin.
        return type(self).import_function(data, filename, dry_run=dry_run, **(options or {}))

    def options_form(self, data=None):
        return self.import_options_form(data) if self.import_options_form else None

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self.confirm_import(request)
        if request.method == "POST" and "cancel" in request.POST:
            self.forget_upload(request)
            messages.info(request, "Import cancelled: nothing was saved.")
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        form = UploadForm(request.POST or None, request.FILES or None)
        options_form = self.options_form(request.POST if request.method == "POST" else None)
        options_valid = options_form is None or options_form.is_valid()
        if request.method == "POST" and form.is_valid() and options_valid:
            upload = form.cleaned_data["import_file"]
            data = upload.read()
            options = {**(options_form.cleaned_data if options_form else {}), **self.import_options_for(request)}
            self.forget_upload(request)  # a preview left unconfirmed is replaced by this one
            try:
                result = self.run_import_function(data, upload.name, dry_run=True, options=options)
            except SpreadsheetError as error:
                form.add_error("import_file", str(error))
            except ImportErrors as errors:
                return self.render_import(request, form, options_form, filename=upload.name, errors=errors.errors)
            else:
                request.session[self.session_key] = {
                    "token": stage(data), "filename": upload.name, "digest": digest(data),
                    # As sent, to be checked again on confirm (a unit deleted meanwhile is refused then).
                    "options": {
                        key: request.POST.getlist(key) for key in map(options_form.add_prefix, options_form.fields)
                    } if options_form else {},
                }
                return self.render_import(request, form, options_form, filename=upload.name, result=result)
        return self.render_import(request, form, options_form)

    def confirm_import(self, request):
        kept = request.session.get(self.session_key) or {}
        data = staged(kept.get("token")) if request.POST.get("token") == kept.get("token") else None
        if data is not None and digest(data) != kept.get("digest"):
            data = None  # changed on disk since the preview: what was previewed is not what would be saved
        if data is None:
            messages.error(request, "That preview is no longer available (it was replaced or has expired): upload the file again.")
            return redirect(self.import_url())
        filename = kept["filename"]
        options_form = self.options_form(QueryDict(mutable=True)) if self.import_options_form else None
        if options_form is not None:
            for name, values in (kept.get("options") or {}).items():
                options_form.data.setlist(name, values)
            if not options_form.is_valid():
                self.forget_upload(request)
                messages.error(request, "The choices made with that file are no longer valid: upload the file again.")
                return redirect(self.import_url())
        options = {**(options_form.cleaned_data if options_form else {}), **self.import_options_for(request)}
        try:
            result = self.run_import_function(data, filename, dry_run=False, options=options)
        except ImportErrors as problem:
            # What is saved changed since the preview (someone edited the plan meanwhile).
            return self.render_import(request, UploadForm(), self.options_form(), filename=filename, errors=problem.errors)
        except SpreadsheetError as problem:
            errors = [RowError(0, "", str(problem))]
            return self.render_import(request, UploadForm(), self.options_form(), filename=filename, errors=errors)
        finally:
            self.forget_upload(request)
        for flag, was_created in ((ADDITION, True), (CHANGE, False)):
            logged = [obj for obj, created in result.touched if created == was_created]
            if logged:
                LogEntry.objects.log_actions(request.user.pk, logged, flag, change_message=f"Imported from {filename}")
        messages.success(request, f"Import finished. {result.message}")
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    @property
    def session_key(self):
        return f"import:{self.opts.label_lower}"

    def forget_upload(self, request):
        kept = request.session.pop(self.session_key, None)
        if kept:
            discard(kept.get("token"))

    def render_import(self, request, form, options_form=None, filename="", result=None, errors=None):
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import {self.import_label}",
            "opts": self.opts,
            "form": form,
            "options_form": options_form,
            "options_chosen": _chosen(options_form) if result is not None else [],
            "filename": filename,
            "import_columns": self.import_columns,
            "errors": errors,
            "errors_have_sheets": any(getattr(error, "sheet", "") for error in errors or ()),
        }
        if result is not None:
            context |= preview(result)
            context["token"] = request.session[self.session_key]["token"]
        return TemplateResponse(request, "admin/core/import.html", context)


def _chosen(options_form):
    """(label, value) of each choice made beside the file, as the preview repeats them."""
    if options_form is None or not options_form.is_bound or not options_form.is_valid():
        return []
    return [
        (field.label, options_form.cleaned_data.get(name) or "(none)")
        for name, field in options_form.fields.items()
    ]


def preview(result):
    """What the preview page lists: each row with its warnings, and the warnings about the whole file."""
    by_row = {}
    for warning in result.warnings:
        by_row.setdefault((warning.sheet, warning.row), []).append(warning)
    rows = [
        {"outcome": outcome, "warnings": by_row.get((outcome.sheet, outcome.row), [])} for outcome in result.outcomes
    ]
    listed = rows
    if len(rows) > PREVIEW_EVERY_ROW_UP_TO:
        listed = [row for row in rows if row["warnings"] or row["outcome"].outcome != UNCHANGED]
    return {
        "result": result,
        "rows": listed,
        "rows_not_listed": len(rows) - len(listed),
        "rows_have_sheets": any(outcome.sheet for outcome in result.outcomes),
        "file_warnings": [warning for warning in result.warnings if not warning.row],
    }
