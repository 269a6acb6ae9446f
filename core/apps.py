from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: organisation units, roles, periods, RAG, spreadsheets, "as at", history."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Organisation and people"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.middleware import session_saved_at_sign_in

        user_logged_in.connect(session_saved_at_sign_in, dispatch_uid="core.session_saved_at_sign_in")
