"""Production settings (config/settings.py reads them from the environment)."""

import os
import subprocess
import sys

from django.conf import settings


def manage(*arguments, env):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR
    )


def test_check_deploy_is_clean_with_production_settings():
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "a-real-secret-key-of-plenty-of-characters-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "plans.example.gov.uk",
    }
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "0"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr
