"""Signing in: the password backend (`UserBackend`), and slowing down password guessing (django-axes, configured
in config/settings.py): the page a sign-in gets once its username or address is locked out, and who the client is
when the service sits behind a TLS proxy."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.shortcuts import render

from .queries import Compiled, columns, from_row, link


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


class _SignedIn:
    """The query that loads the signed-in user on every request, with their profile and its unit beside them (both
    may be missing), compiled once (`core.queries`): compiling it afresh cost twenty times what the database took."""

    def __init__(self):
        from .models import OrganisationUnit, Profile

        self.models = [get_user_model(), Profile, OrganisationUnit]
        selected = columns(self.models[0]) + columns(Profile, "profile__") + columns(OrganisationUnit, "profile__unit__")
        self.query = Compiled(lambda pk: self.models[0]._default_manager.filter(pk=pk).values_list(*selected))

    def user(self, user_id, using):
        rows = self.query.rows(user_id, using=using)
        if not rows:
            return None
        made, rest = [], rows[0]
        for model in self.models:
            instance, rest = from_row(model, rest, using)
            made.append(instance)
        user, profile, unit = made
        if profile is not None:
            link(profile, "user", user)
            link(profile, "unit", unit)
        # As select_related("profile__unit") leaves them: `user.profile` answers without a query, or says there is none.
        user._meta.get_field("profile").set_cached_value(user, profile)
        user._profile_cache = profile  # roles.profile_of
        return user


class UserBackend(ModelBackend):
    """Django's password sign-in, whose signed-in user comes with their profile and unit (`roles.profile_of`)
    in the query that loads the user on every request, rather than in a second query on nearly every page;
    an account with no profile yet (an admin, or one just created) has None."""

    signed_in = None

    def get_user(self, user_id):
        if UserBackend.signed_in is None:
            UserBackend.signed_in = _SignedIn()
        user = UserBackend.signed_in.user(user_id, using=get_user_model()._default_manager.db)
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
