"""Sign-in and wrong-method handling that never loses what a person typed.

- An officer whose session ended while writing an update presses Save: the form
  they sent is kept in the (new, anonymous) session and they are sent to sign in.
  Signing in keeps the session's data (`login()` cycles its key), and the page that
  holds the form finds what they typed with `take_kept_form` and shows it to save.
  Only forms an app registered with `keep_form` are kept (never a password), only
  their own fields, for half an hour, and only for the person who was signed in on
  that browser before (a signed cookie says who): on a shared computer the next
  person never sees them.
- No page answers a bare 405 to a person: a GET on an address that only saves a form
  is sent to the page that holds it by its view; anything else gets a GOV.UK page.
- A session ends after an hour unused (SESSION_COOKIE_AGE), not an hour after signing in:
  using the service moves its end along, with one write a minute at most.
- Permissions-Policy turns off the browser features the service never uses.
- A write that could not get the database in time (another writer held it past SQLite's
  busy timeout, or PostgreSQL broke a deadlock) answers a GOV.UK "busy" page, 503, not a 500.
"""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.db import OperationalError
from django.http import QueryDict
from django.shortcuts import render

KEPT_FORM = "kept_form"
LAST_USER_COOKIE = "last_user"
LAST_USER_SALT = "core.middleware.kept-form"
KEPT_FOR_SECONDS = 30 * 60
# Field names and values together: a progress narrative is at most 10,000 characters.
MOST_KEPT_CHARACTERS = 12_000

_keepable = {}  # url name: the form fields that may be kept


def keep_form(url_name, *fields):
    """Say that a form sent to the view named `url_name` may be kept through sign-in: these fields only."""
    _keepable[url_name] = frozenset(fields)


class LoginRequiredKeepingFormsMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, keeping a registered form for after sign-in."""

    def handle_no_permission(self, request, view_func):
        kept = self._keepable_data(request)
        if kept is not None:
            request.session[KEPT_FORM] = kept
            messages.info(
                request,
                "Your session had ended, so nothing was saved. Sign in again: what you typed is kept for you to save.",
            )
        return super().handle_no_permission(request, view_func)

    @staticmethod
    def _keepable_data(request):
        match = getattr(request, "resolver_match", None)
        fields = _keepable.get(match.url_name) if match else None
        if request.method != "POST" or fields is None or not hasattr(request, "session"):
            return None
        user_pk = request.get_signed_cookie(LAST_USER_COOKIE, default=None, salt=LAST_USER_SALT)
        if user_pk is None:
            return None
        data = {name: values for name, values in request.POST.lists() if name in fields}
        size = sum(len(name) + sum(len(value) for value in values) for name, values in data.items())
        if not data or size > MOST_KEPT_CHARACTERS:
            return None
        return {"path": request.path, "data": data, "user": str(user_pk), "at": time.time()}

    def process_response(self, request, response):
        # Who was signed in on this browser, so that a form kept after their session ended goes back to them only.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.get_signed_cookie(LAST_USER_COOKIE, default=None, salt=LAST_USER_SALT) != str(user.pk):
                response.set_signed_cookie(
                    LAST_USER_COOKIE, str(user.pk), salt=LAST_USER_SALT, max_age=30 * 24 * 3600,
                    secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
                )
        return response


def take_kept_form(request, path):
    """The form data kept for `path` when this user's session ended (a QueryDict), once; None when there is none."""
    kept = request.session.get(KEPT_FORM) if hasattr(request, "session") else None
    if not kept or kept.get("path") != path:
        return None
    del request.session[KEPT_FORM]
    fresh = time.time() - kept.get("at", 0) <= KEPT_FOR_SECONDS
    if not fresh or kept.get("user") != str(request.user.pk):
        return None
    data = QueryDict(mutable=True)
    for name, values in kept["data"].items():
        data.setlist(name, values)
    return data


class FriendlyMethodNotAllowedMiddleware:
    """A GOV.UK page instead of the bare 405 Django's require_POST gives (the admin keeps its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not request.path.startswith("/admin/"):
            friendly = render(request, "405.html", status=405)
            friendly["Allow"] = response.get("Allow", "")
            return friendly
        return response


SESSION_SAVED_AT = "saved_at"
# Saving moves the session's stored end to SESSION_COOKIE_AGE from now; once a minute is close enough for an
# hour's idle timeout and spares a database write on every request.
SAVE_SESSION_EVERY_SECONDS = 60


def session_saved_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session anyway: noting it there spares the next request a save of its own.

    Connected to user_logged_in in core.apps: login() is Django's, and the test client's force_login calls it too."""
    if hasattr(request, "session"):
        request.session[SESSION_SAVED_AT] = int(time.time())


class IdleSessionMiddleware:
    """Keeps a signed-in session alive while it is used, so that it ends after SESSION_COOKIE_AGE unused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Checked after the view: signing out has emptied the session by then, and it must stay empty.
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(SESSION_SAVED_AT, 0) >= SAVE_SESSION_EVERY_SECONDS:
                session[SESSION_SAVED_AT] = now  # modified: SessionMiddleware saves it on the way out
        return response


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone",
        "midi", "payment", "usb",
    ]
)


class PermissionsPolicyMiddleware:
    """No page of the service uses the camera, microphone, location or payments: nothing injected may ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# PostgreSQL's codes for a transaction it stopped so that another could go on: serialization_failure,
# deadlock_detected, lock_not_available. Like SQLite's "database is locked", nothing was saved and trying
# again will do.
BUSY_POSTGRESQL_CODES = {"40001", "40P01", "55P03"}
BUSY_RETRY_AFTER_SECONDS = 5

busy_log = logging.getLogger("core.database_busy")


def database_was_busy(error):
    """Whether `error` says another writer held the database, rather than that something is broken."""
    if not isinstance(error, OperationalError):
        return False
    if getattr(error.__cause__, "pgcode", None) in BUSY_POSTGRESQL_CODES:
        return True
    return "database is locked" in str(error) or "database table is locked" in str(error)


class DatabaseBusyMiddleware:
    """A GOV.UK page saying the service was busy (503, with Retry-After) when a view's write could not get the
    database in time. SQLite has one writer: one that waits past its busy timeout (config/settings.py) is
    refused. The transaction was rolled back whole, so the page says nothing was saved, and to send it again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_was_busy(exception):
            return None
        busy_log.warning("Database busy, answered 503: %s %s: %s", request.method, request.path, exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response
