"""SQLite, the zero-set-up database, holds concurrent writers: write-ahead logging, a busy timeout
and transactions that take the write lock when they begin (issue 12, finding 9).

A transaction that reads first and writes later (SQLite's default, DEFERRED) cannot wait for
another writer: SQLite answers "database is locked" at once, whatever the timeout, and a page
answered 500. Begun IMMEDIATE, it waits its turn for the single writer's lock instead.
"""

import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction

from actionplans import rag
from core.periods import today

WRITERS = 20
ACTIONS = 5  # four writers to an action: one saves, three are told someone else saved first
BOUND = 30  # seconds: a bound on waiting for the server, never a timing the test asserts
CSRF_TOKEN = "concurrentwriters" + "0" * 15  # 32 letters and digits, as Django makes them


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the suite's database is not SQLite")
@pytest.mark.django_db
def test_sqlite_connections_write_ahead_and_take_the_write_lock_when_a_transaction_begins(tmp_path):
    configured = connection.settings_dict["OPTIONS"]
    assert configured["transaction_mode"] == "IMMEDIATE" and configured["timeout"] >= 5
    # Two connections to one database file, as two requests would have; the second gives up at once.
    probe = {**connection.settings_dict, "NAME": str(tmp_path / "probe.sqlite3")}
    wrapper = type(connections["default"])
    first = wrapper(probe, alias="probe_first")
    second = wrapper({**probe, "OPTIONS": {**configured, "timeout": 0.1}}, alias="probe_second")
    connections["probe_first"], connections["probe_second"] = first, second
    try:
        with second.cursor() as cursor:
            cursor.execute("CREATE TABLE note (text text)")
            assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert cursor.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL: safe with WAL, fewer syncs
        with transaction.atomic(using="probe_first"):
            # Reading only, yet the transaction already holds the write lock: the other connection waits.
            first.cursor().execute("SELECT count(*) FROM note")
            with pytest.raises(OperationalError, match="database is locked"):
                second.cursor().execute("INSERT INTO note VALUES ('too soon')")
        second.cursor().execute("INSERT INTO note VALUES ('after it')")
    finally:
        for alias, probe_connection in (("probe_first", first), ("probe_second", second)):
            probe_connection.close()
            del connections[alias]


# --- Twenty writers through real HTTP ----------------------------------------------------------

SEED = f"""
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from actionplans import spreadsheet
from actionplans.models import Action

call_command("migrate", verbosity=0)
rows = "Plan,Area,Action No,Action\\n" + "".join(f"Busy plan,Safeguarding,{{n}},Action {{n}}\\n" for n in range(1, {ACTIONS + 1}))
spreadsheet.import_plan_file(rows.encode(), "plan.csv")
ada = get_user_model().objects.create_superuser("ada", "ada@example.org", "never used")
sessions = []
for _ in range({WRITERS}):
    client = Client()
    client.force_login(ada)
    sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(json.dumps({{"actions": list(Action.objects.values_list("pk", "version")), "sessions": sessions}}))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port, path):
    try:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        client.request("GET", path)
        return client.getresponse().status
    except OSError:
        return None


@pytest.fixture
def sqlite_server(tmp_path):
    """gunicorn (two processes of ten threads) serving a fresh SQLite file with a seeded plan and sessions:
    (port, what the seed printed, the database file)."""
    database = tmp_path / "plans.sqlite3"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings",
        "IMPORT_STAGING_DIR": str(tmp_path / "imports"),
    }
    seeded = subprocess.run(
        [sys.executable, "-c", SEED], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )
    assert seeded.returncode == 0, seeded.stderr
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
            "--workers", "2", "--worker-class", "gthread", "--threads", "10",
        ],
        env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + BOUND
        while answers(port, "/healthz") != 200:
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.1)
        yield port, json.loads(seeded.stdout.strip().splitlines()[-1]), database
    finally:
        server.terminate()
        server.wait(BOUND)
        log.close()


def test_twenty_simultaneous_progress_posts_are_saved_or_told_of_the_conflict_never_a_500(sqlite_server):
    port, seeded, database = sqlite_server
    day = today()
    statuses = []
    ready = threading.Barrier(WRITERS)

    def post(writer):
        pk, version = seeded["actions"][writer % ACTIONS]
        body = urllib.parse.urlencode({
            "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": f"Update from writer {writer}",
            "status": rag.ON_TRACK, "version": version, "seen_update_id": 0, "csrfmiddlewaretoken": CSRF_TOKEN,
        })
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=BOUND)
        client.connect()
        ready.wait(BOUND)  # every writer sends at once
        client.request("POST", f"/actions/{pk}/progress/", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={seeded['sessions'][writer]}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}",
        })
        statuses.append((pk, client.getresponse().status))

    writers = [threading.Thread(target=post, args=(writer,)) for writer in range(WRITERS)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(BOUND)
    assert len(statuses) == WRITERS
    assert Counter(status for _, status in statuses) == {302: ACTIONS, 409: WRITERS - ACTIONS}
    # The one writer of each action that saw its version first saved; the others were shown what changed.
    assert Counter(pk for pk, status in statuses if status == 302) == Counter(pk for pk, _ in seeded["actions"])
    with sqlite3.connect(database) as saved:
        assert saved.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        web_updates = saved.execute("SELECT action_id, count(*) FROM actionplans_progressupdate GROUP BY action_id")
        assert dict(web_updates.fetchall()) == {pk: 1 for pk, _ in seeded["actions"]}
