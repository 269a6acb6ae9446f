from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: organisation units, roles, periods, RAG, spreadsheets, "as at", history."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Organisation and people"
