"""Production settings (config/settings.py reads them from the environment)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


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


def read_settings(*names, env):
    """The values config/settings.py gives `names` under the environment `env` (a fresh interpreter reads it)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps([str(getattr(settings, name)) for name in {list(names)!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings"} | env,
        capture_output=True, text=True, cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_sign_in_throttling_and_idle_timeout_come_from_the_environment():
    env = {"LOGIN_FAILURE_LIMIT": "3", "LOGIN_LOCKOUT_MINUTES": "30", "SESSION_IDLE_TIMEOUT_MINUTES": "20"}
    assert read_settings("AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME", "SESSION_COOKIE_AGE", env=env) == [
        "3", "0:30:00", "1200"
    ]


def test_postgresql_gives_up_connecting_after_a_few_seconds():
    [options] = read_settings("DATABASES", env={"DATABASE_URL": "postgres://plans@db.example:5432/plans"})
    assert "'connect_timeout': 5" in options
    [options] = read_settings("DATABASES", env={"DATABASE_URL": "postgres://plans@db:5432/plans", "DATABASE_CONNECT_TIMEOUT": "2"})
    assert "'connect_timeout': 2" in options
    [options] = read_settings("DATABASES", env={"DATABASE_URL": "sqlite:///x.sqlite3"})
    assert "connect_timeout" not in options


def test_postgresql_stops_a_statement_that_runs_past_the_timeout():
    [options] = read_settings("DATABASES", env={"DATABASE_URL": "postgres://plans@db.example:5432/plans"})
    assert "'options': '-c statement_timeout=30000'" in options
    [options] = read_settings(
        "DATABASES", env={"DATABASE_URL": "postgres://plans@db:5432/plans", "DATABASE_STATEMENT_TIMEOUT": "0"}
    )
    assert "statement_timeout" not in options


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server setting")
@pytest.mark.django_db
def test_the_server_is_told_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
