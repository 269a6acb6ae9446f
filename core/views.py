"""Pages of the site rather than of one app: the health check, the accessibility statement, signing out
and changing one's password; the downloads every app's pages offer, and published reports' files."""

import threading

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import publishing
from .models import PublishedFile


# Load balancers give up on a health check after a few seconds: answer before they do, whatever the database does.
DATABASE_DEADLINE_SECONDS = 3
_probe_lock = threading.Lock()
_probe = None  # the thread that last asked the database; it may still be waiting


def _ask_database(answers):
    connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        answers.append(True)
    except Exception:
        pass  # no answer is the answer
    finally:
        connection.close()


def database_answers():
    """Whether a new connection to the database answers within DATABASE_DEADLINE_SECONDS.

    Asked from a thread, on a connection of its own: a database that accepts connections and never answers
    (or a request's connection that hangs) cannot hold the response past the deadline. While an earlier
    probe is still waiting the answer is no, and no second thread is started to wait beside it."""
    global _probe
    answers = []
    with _probe_lock:
        if _probe is not None and _probe.is_alive():
            return False
        _probe = threading.Thread(target=_ask_database, args=(answers,), name="healthz-database-probe", daemon=True)
        _probe.start()
        probe = _probe
    probe.join(DATABASE_DEADLINE_SECONDS)
    return bool(answers)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not (within a few seconds): for load balancers and monitoring."""
    if not database_answers():
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_not_required  # the regulations want it reachable by someone who cannot get past the login page
@require_GET
def accessibility(request):
    return render(request, "pages/accessibility.html")


@method_decorator(login_not_required, name="dispatch")  # signing out after the session ended just signs in again
class SignOutView(auth_views.LogoutView):
    """Signing out is a button (a POST); opening /logout/ itself shows that button rather than a bare 405."""

    http_method_names = ["get", "post", "options"]
    template_name = "registration/sign_out.html"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, self.template_name)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


def document_response(content, content_type, filename):
    """A file to download: a report in any format, a spreadsheet, a published copy."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def published_file(request, pk, file_format):
    """One file of a published report, exactly the bytes kept when it was published."""
    found = get_object_or_404(PublishedFile.objects.select_related("report"), report_id=pk, file_format=file_format)
    if not publishing.can_read(request.user, found.report):
        raise PermissionDenied("Published performance reports are for managers and admins.")
    response = document_response(bytes(found.content), found.content_type, found.filename)
    response["X-Content-SHA256"] = found.sha256
    return response


def spreadsheet_download(request, make):
    """The ?format=csv|xlsx download of any page: `make(file_format)` gives (bytes, content type, file name)."""
    file_format = request.GET["format"]
    if file_format not in {"csv", "xlsx"}:
        return HttpResponseBadRequest("Unknown format: use csv or xlsx.")
    return document_response(*make(file_format))
