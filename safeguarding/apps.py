from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safeguarding"
    verbose_name = "Safeguarding adults"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from safeguarding.templatetags.safeguarding import menu_worked_out_at_sign_in

        user_logged_in.connect(menu_worked_out_at_sign_in, dispatch_uid="safeguarding.menu_worked_out_at_sign_in")
