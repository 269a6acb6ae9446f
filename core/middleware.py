"""Sign-in and wrong-method handling that never loses what a person typed.

- An officer whose session ended while writing an update presses Save: the form
  they sent is kept in the (new, anonymous) session and they are sent to sign in.
  Signing in keeps the session's data (`login()` cycles its key), and the page that
  holds the form finds what they typed with `take_kept_form` and shows it to save.
- No page answers a bare 405 to a person: a GET on an address that only saves a form
  is sent to the page that holds it by its view; anything else gets a GOV.UK page.
"""

from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import QueryDict
from django.shortcuts import render

KEPT_FORM = "kept_form"
# A progress narrative is at most 10,000 characters; a form much larger than that is not one of ours.
MOST_KEPT = 64 * 1024


class LoginRequiredKeepingFormsMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, keeping a POSTed form for after sign-in."""

    def handle_no_permission(self, request, view_func):
        if request.method == "POST" and hasattr(request, "session"):
            data = {name: values for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"}
            if sum(len(value) for values in data.values() for value in values) <= MOST_KEPT:
                request.session[KEPT_FORM] = {"path": request.path, "data": data}
                messages.info(
                    request,
                    "Your session had ended, so nothing was saved. Sign in again: what you typed is kept for you to save.",
                )
        return super().handle_no_permission(request, view_func)


def take_kept_form(request, path):
    """The form data kept for `path` when the session ended (a QueryDict), once; None when there is none."""
    kept = request.session.get(KEPT_FORM) if hasattr(request, "session") else None
    if not kept or kept.get("path") != path:
        return None
    del request.session[KEPT_FORM]
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
