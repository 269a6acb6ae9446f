#!/usr/bin/env python
"""Speed and memory of the heavy paths on generated data: import, plan page, plans list, export.

Runs on a throwaway SQLite database (or DATABASE_URL if set). Prints one line per
measurement; it asserts nothing: targets are read off it, never enforced by a timed test.

    .venv/bin/python scripts/benchmark.py [--actions 5000]
    .venv/bin/python scripts/benchmark.py --scale county     # scripts/benchmark_scale.py
    .venv/bin/python scripts/benchmark.py --reports          # a 300-action plan's committee report (make benchmark-reports)

With DATABASE_URL naming a PostgreSQL server, a throwaway database is created on it
for the run and dropped afterwards.
"""

import argparse
import csv
import io
import os
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def throwaway_postgres(url):
    """A new empty database on the server `url` names, and a function that drops it."""
    import psycopg2
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = f"plans_benchmark_{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')

    def drop():
        from django.db import connections

        connections.close_all()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--actions", type=int, default=5000)
    parser.add_argument(
        "--scale", choices=["county", "indicators"],
        help="county: 300 plans, 30,000 actions (scripts/benchmark_scale.py); "
        "indicators: 2,000 indicators, 240,000 readings (scripts/benchmark_indicators.py)",
    )
    parser.add_argument(
        "--reports", action="store_true",
        help="the committee reports: a plan of --actions (300 by default here) as Word, PDF, print page and Excel; "
        "the performance report of the demo indicators",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards, to look into it")
    args = parser.parse_args()
    if args.reports and "--actions" not in sys.argv:
        args.actions = 300
    workdir = tempfile.mkdtemp(prefix="plans-bench-")
    drop = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        os.environ["DATABASE_URL"], drop = throwaway_postgres(os.environ["DATABASE_URL"])
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Timed as deployed (README "Deploying"), not as a developer's machine runs: with DEBUG on, Django keeps and
    # formats every query (on SQLite with a second query per query, to quote its parameters) and the templates keep
    # what they need to point at an error, all of which a council's server does not pay.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    collect_static(Path(workdir) / "static")
    try:
        if args.scale:
            scale(args.scale)
        elif args.reports:
            single_plan(args, reports=True)
        else:
            single_plan(args)
    finally:
        if args.keep:
            print(f"Database kept: {os.environ['DATABASE_URL']}")
        elif drop:
            drop()


def collect_static(folder):
    """The static files as deployed, with the manifest of hashed names pages look them up in."""
    from django.conf import settings
    from django.core.management import call_command

    settings.STATIC_ROOT = folder
    call_command("collectstatic", interactive=False, verbosity=0)


def scale(name):
    from django.core.management import call_command
    from django.db import connection

    import benchmark_indicators
    import benchmark_scale

    call_command("migrate", verbosity=0)
    print(f"{'County' if name == 'county' else 'Indicator'} scale on {connection.vendor}")
    module = benchmark_scale if name == "county" else benchmark_indicators
    module.run(print_line=lambda label, value: print(f"{label:48} {value}", flush=True))


def single_plan(args, reports=False):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actionplans import spreadsheet
    from actionplans.models import Plan
    from benchmark_scale import deployed_client

    call_command("migrate", verbosity=0)

    def plan_file(count, revised_every=0):
        """`count` actions of one plan; with `revised_every`, every n-th action reworded and reported on again."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([  # the columns a council's file has; the format's optional ones are left out
            "Plan", "Source", "Source date", "Area", "Recommendation No", "Recommendation", "Recommendation page",
            "Measurable indicator", "Desired outcome", "Action No", "Action", "Expected evidence", "Leads", "Timescale",
            "Due date", "Status", "Progress", "Progress date",
        ])
        for n in range(count):
            rec = n % 40 + 1
            revised = bool(revised_every) and n % revised_every == 0
            writer.writerow([
                "Benchmark plan", "CQC inspection", "2010-03-31", f"Area {rec % 5}", rec, f"Recommendation {rec} text",
                "11", "", "", f"{rec}.{n + 1}", f"Action {n + 1}: streamline and clarify documentation " * 3 + ("(revised)" if revised else ""),
                "Evidence " * 20, f"Lead {n % 25}; Head of Safeguarding - AH", ["March 2011", "Q3 2010/11", "Ongoing"][n % 3],
                "", ["Off track" if revised else "On track", "At risk", ""][n % 3], "Progress narrative " * 15, "2010-06-30",
            ])
        return out.getvalue().encode()

    def measure(label, func, repeatable=True):
        """Time (wall clock, and this process's CPU time, steadier on a shared machine) and queries in one run;
        Python memory peak in a second run (tracemalloc slows it)."""
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            result = func()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        count = len(queries)  # now: a request run later empties the log it reads
        memory = ""
        if repeatable:
            tracemalloc.start()
            func()
            memory = f"peak {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MiB"
            tracemalloc.stop()
        print(f"{label:34} {elapsed * 1000:9.0f} ms  cpu {cpu * 1000:7.0f} ms  {count:6} queries  {memory}", flush=True)
        return result

    data = plan_file(args.actions)
    print(f"{args.actions} actions, database {connection.vendor}")
    if reports:
        return committee_reports(data, measure)
    # Targets for 5,000 actions on SQLite (--actions 5000): a new plan under 15 s, an unchanged file under 2 s.
    measure("import dry run (new plan)", lambda: spreadsheet.import_plan_file(data, "bench.csv", dry_run=True))
    measure("import (new plan)", lambda: spreadsheet.import_plan_file(data, "bench.csv"), repeatable=False)
    measure("re-import (unchanged)", lambda: spreadsheet.import_plan_file(data, "bench.csv"))
    revised = plan_file(args.actions, revised_every=10)
    measure("re-import (1 action in 10 revised)", lambda: spreadsheet.import_plan_file(revised, "bench.csv"), repeatable=False)
    plan = Plan.objects.get(title="Benchmark plan")
    user = get_user_model().objects.create_superuser("bench", password="bench-password-1")
    client = deployed_client()
    client.force_login(user)
    measure("plan page (today)", lambda: client.get(f"/plans/{plan.pk}/"))
    measure("plan page (as at 2010-07-01)", lambda: client.get(f"/plans/{plan.pk}/?as_at=2010-07-01"))
    measure("plans list (rag=red)", lambda: client.get("/plans/?rag=red"))
    measure("export csv", lambda: client.get(f"/plans/{plan.pk}/?format=csv"))
    measure("export xlsx", lambda: client.get(f"/plans/{plan.pk}/?format=xlsx"))


def committee_reports(data, measure):
    """Issue 14's targets for a 300-action plan: Word under 2 s, PDF under 8 s, through the plan page's links (the
    read model included); then the performance report of the demo indicators."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from actionplans import spreadsheet
    from actionplans.models import Milestone, Plan
    from benchmark_scale import deployed_client

    spreadsheet.import_plan_file(data, "bench.csv")
    plan = Plan.objects.get(title="Benchmark plan")
    # Seed 000 has milestone tables inside actions: one action in ten gets four milestones.
    Milestone.objects.bulk_create(
        Milestone(action=action, activity=f"Milestone {n} of action {action.number}", date_text="June 2011", order=n)
        for action in plan.actions.all()[::10] for n in range(4)
    )
    user = get_user_model().objects.create_superuser("bench", password="bench-password-1")
    client = deployed_client()
    client.force_login(user)
    url = f"/plans/{plan.pk}/?as_at=2010-12-31"
    for layout in ("recommendation", "action"):
        for file_format in ("docx", "pdf", "html"):
            response = measure(f"plan report {file_format} ({layout})", lambda: client.get(f"{url}&format={file_format}&layout={layout}"),
                               repeatable=False)
            print(f"{'':34} {len(response.content) / 1024:9.0f} KiB")
    measure("plan report xlsx", lambda: client.get(f"{url}&format=xlsx"), repeatable=False)
    call_command("seed_demo", verbosity=0)  # the organisation units the demo indicators belong to
    call_command("seed_indicators", verbosity=0)
    for file_format in ("docx", "pdf", "xlsx"):
        measure(f"performance report {file_format}", lambda: client.get(f"/performance/report/?format={file_format}"),
                repeatable=False)


if __name__ == "__main__":
    main()
