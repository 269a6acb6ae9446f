"""Signing in: the password backend (`UserBackend`), and slowing down password guessing (django-axes, configured
in config/settings.py): the page a sign-in gets once its username or address is locked out, and who the client is
when the service sits behind a TLS proxy."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    """The page for a sign-in refused after too many failures: 429, how long for, and that an admin can unlock."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def address_behind_proxy(request):
    """The client's address as the proxy saw it: the last one in X-Forwarded-For, which the proxy added itself.

    Any before it are whatever the client sent, and a guesser could change them at every attempt to dodge the
    count; REMOTE_ADDR is the proxy's own address, shared by everyone."""
    forwarded = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    return forwarded[-1] if forwarded else request.META.get("REMOTE_ADDR")


class UserBackend(ModelBackend):
    """Django's password sign-in, whose signed-in user comes with their profile and unit (`roles.profile_of`)
    in the query that loads the user on every request, rather than in a second query on nearly every page."""

    def get_user(self, user_id):
        UserModel = get_user_model()
        user = UserModel._default_manager.select_related("profile__unit").filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        try:
            user._profile_cache = user.profile
        except ObjectDoesNotExist:  # an account with no profile yet: an admin, or one just created
            user._profile_cache = None
        return user
