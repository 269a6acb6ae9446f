"""Pages of the site rather than of one app: the health check, the accessibility statement, signing out
and changing one's password."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
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
