"""County scale: 300 plans, 30,000 actions, about 100,000 progress updates, 50 leads with logins.

The data goes in through the importer, as a council's would. Then, in one process, each
page is requested several times and reported as the SQL queries it runs, its median time
as a multiple of the anonymous login page's (the floor: what any request costs here), and
the peak Python memory of one request. Targets (issue 10): pages that show a bounded
amount at most 15 queries, 10 times the floor and 20 MiB; the 400-action plan page at most
40 times the floor; `rerate_actions` over 30,000 actions under 10 s. Nothing is asserted:
targets are read off the table.

    .venv/bin/python scripts/benchmark.py --scale county            # SQLite in a temporary folder
    DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark.py --scale county
"""

import csv
import datetime
import io
import statistics
import time
import tracemalloc

PLANS = 300
ACTIONS = 30_000
BIG_PLAN_ACTIONS = 400
LEADS = 50
OFFICER_ACTIONS = 300  # the officer measured leads one action in each plan
REPEATS = 30  # requests timed of each page, and as many of the floor between them
BLOCK = 5
COLUMNS = ["Plan", "Source", "Source date", "Area", "Recommendation No", "Recommendation", "Action No", "Action",
           "Expected evidence", "Leads", "Timescale", "Status", "Progress", "Progress date"]
TIMESCALES = ["March 2011", "Q3 2010/11", "Ongoing", "End 2012", "December 2030", "Completed", "Soon"]
STATUSES = ["On track", "At risk", "", "Off track", "Not started"]
# Progress reported at each round: about 3.3 updates per action in all.
ROUNDS = [("2010-06-30", 1.0), ("2010-09-30", 1.0), ("2010-12-31", 1.0), ("2011-03-31", 0.34)]


def plan_sizes():
    others = PLANS - 1
    base, extra = divmod(ACTIONS - BIG_PLAN_ACTIONS, others)
    return [BIG_PLAN_ACTIONS] + [base + (1 if n < extra else 0) for n in range(others)]


def plan_file(round_day, share):
    """Every plan as one CSV in the import format, with progress reported on `round_day`."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    serial = 0
    for p, size in enumerate(plan_sizes()):
        title = "County plan 000 (400 actions)" if p == 0 else f"County plan {p:03d}"
        for n in range(size):
            serial += 1
            recommendation = n // 4 + 1
            # Action 1 of every plan is the measured officer's (lead 00); the rest spread over the other leads.
            lead = "Lead 00" if n == 0 else f"Lead {1 + serial % (LEADS - 1):02d}"
            reported = (serial * 7919 % 1000) / 1000 < share
            # Reported on different days of the quarter, as real plans are.
            day = (datetime.date.fromisoformat(round_day) - datetime.timedelta(days=serial % 60)).isoformat()
            writer.writerow([
                title, "CQC inspection", "2010-03-31", f"Outcome area {recommendation % 7 + 1}", recommendation,
                f"Recommendation {recommendation} of {title}: improve the practice of safeguarding adults",
                f"{recommendation}.{n + 1}", f"Action {n + 1}: review the pathway and report to DMT " * 2,
                "Evidence of improvement " * 4, lead, TIMESCALES[serial % len(TIMESCALES)],
                STATUSES[(serial + len(round_day)) % len(STATUSES)] if reported else "",
                f"Progress reported on {day}: work continues with partners. " * 3 if reported else "",
                day if reported else "",
            ])
    return out.getvalue().encode()


def run(print_line):
    import time_machine  # a test requirement, installed by `make setup`
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from actionplans import spreadsheet, state
    from actionplans.models import NEVER_RATED, Action, Lead, Plan, ProgressUpdate
    from core.models import OrganisationUnit, Profile

    started = time.perf_counter()
    for round_day, share in ROUNDS:
        round_started = time.perf_counter()
        # The whole county as one file, to time the importer at its largest: past the 10,000 rows a council's
        # file may hold (IMPORT_MAX_ROWS), which is raised for it.
        with override_settings(IMPORT_MAX_ROWS=ACTIONS):
            spreadsheet.import_plan_file(plan_file(round_day, share), "county.csv")
        print_line(f"import of {ACTIONS:,} rows (progress of {round_day})", f"{time.perf_counter() - round_started:8.1f} s")
    print_line("generated through the importer", f"{time.perf_counter() - started:8.1f} s")

    User = get_user_model()
    directorate = OrganisationUnit.objects.create(name="County Adult Social Care", level=OrganisationUnit.DIRECTORATE)
    Plan.objects.update(unit=directorate)
    for lead in Lead.objects.filter(name__startswith="Lead "):
        user = User.objects.create_user(lead.name.lower().replace(" ", ""), password="county-benchmark-1")
        Profile.objects.create(user=user, unit=directorate, role=Profile.OFFICER)
        lead.user = user
        lead.save()
    manager = User.objects.create_user("manager", password="county-benchmark-1")
    Profile.objects.create(user=manager, unit=directorate, role=Profile.MANAGER)
    officer = User.objects.get(username="lead00")
    print_line(
        "data",
        f"{Plan.objects.count()} plans, {Action.objects.count():,} actions, "
        f"{ProgressUpdate.objects.count():,} progress updates, {User.objects.count() - 1} logins",
    )

    # Statistics for the query planner, as autovacuum would gather after a load this size.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    # The nightly run: today, the importer has rated everything, so the run changes nothing;
    # tomorrow, what passed its due date turns Red; after an upgrade, every action is rated afresh.
    rerate_started = time.perf_counter()
    call_command("rerate_actions", verbosity=0)
    today_run = time.perf_counter() - rerate_started
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=1)):
        rerate_started = time.perf_counter()
        tomorrow_changed = state.refresh()
        tomorrow_run = time.perf_counter() - rerate_started
    Action.objects.update(rated_on=NEVER_RATED, rag_colour="grey", rag_reason="Not yet rated", current_status="")
    rerate_started = time.perf_counter()
    all_changed = state.refresh()
    afresh = time.perf_counter() - rerate_started
    print_line(
        "rerate_actions (30,000 actions)",
        f"{today_run:6.1f} s today (nothing to change); {tomorrow_run:.1f} s tomorrow ({tomorrow_changed:,} changed); "
        f"{afresh:.1f} s rating all afresh ({all_changed:,} changed)",
    )

    # What PostgreSQL's autovacuum does after a load and a rating this size: statistics for the query planner,
    # and the visibility map that lets COUNT(*) read an index alone (without it a count read the whole table).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    big = Plan.objects.get(title__startswith="County plan 000")
    busy_action = Action.objects.filter(plan=big).order_by("sort_key").first()
    anonymous, as_officer, as_manager = deployed_client(), deployed_client(), deployed_client()
    as_officer.force_login(officer)
    as_manager.force_login(manager)
    pages = [
        ("login page, anonymous (the floor)", anonymous, "/login/"),
        ("plans list, page 1", as_manager, "/plans/"),
        ("plans list, page 2", as_manager, "/plans/?page=2"),
        ("plans list, filtered to Red", as_manager, "/plans/?rag=red"),
        (f"My actions, officer leading {OFFICER_ACTIONS}", as_officer, "/"),
        ("manager's home", as_manager, "/"),
        ("actions list, page 1", as_manager, "/actions/"),
        ("actions list, page 2, filtered to Red", as_manager, "/actions/?rag=red&page=2"),
        ("actions list, searched for a lead's name", as_manager, "/actions/?q=Lead+07"),
        ("action page", as_officer, f"/actions/{busy_action.pk}/"),
        (f"plan page, {BIG_PLAN_ACTIONS} actions", as_manager, f"/plans/{big.pk}/"),
        (f"plan page, {BIG_PLAN_ACTIONS} actions, as at 2010-10-01", as_manager, f"/plans/{big.pk}/?as_at=2010-10-01"),
    ]
    time_pages(pages)


def deployed_client():
    """A browser's session with the site as deployed, over HTTPS: production redirects plain HTTP there."""
    from django.test import Client

    class OverHttps(Client):
        def get(self, path, data=None, follow=False, secure=True, **extra):
            return super().get(path, data, follow, secure, **extra)

    return OverHttps()


def time_pages(pages):
    """Print each page's SQL queries, median time, its multiple of the floor and the peak Python memory of one
    request; `pages` is [(label, client, url)], the floor first.

    A page and the floor are timed in turns, in blocks of BLOCK requests, and each page's multiple is of the floor
    timed between its own blocks (the last column): on a shared machine the speed drifts within a run (the floor
    timed alone, before and after the pages, moved by half), and two medians taken minutes apart made the same page
    8 times the floor in one run and 16 in the next. The first floor request after a block of a page pays for the
    caches that page filled, which would make the floor slower and every multiple smaller: it is not counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    (floor_label, floor_client, floor_url), pages = pages[0], pages[1:]

    def timed(client, url, times):
        samples = []
        for _ in range(times):
            begun, cpu_begun = time.perf_counter(), time.process_time()
            client.get(url)
            samples.append((time.perf_counter() - begun, time.process_time() - cpu_begun))
        return samples

    timed(floor_client, floor_url, REPEATS)  # warm up: the first requests after a load pay for caches and collections
    all_floors = []
    lines = []
    for label, client, url in pages:
        connection.queries_log.clear()  # a full log (it keeps 9,000) would hide new queries from the count
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        # Counted now: every later request empties the log, and with DEBUG off nothing refills it.
        queries = len(captured)
        timed(client, url, BLOCK)  # warm up
        samples, floors = [], []
        for _ in range(REPEATS // BLOCK):
            timed(floor_client, floor_url, 1)
            floors += timed(floor_client, floor_url, BLOCK)
            samples += timed(client, url, BLOCK)
        all_floors += floors
        (median, cpu), (floor, cpu_floor) = ((statistics.median(column) for column in zip(*runs)) for runs in (samples, floors))
        tracemalloc.start()
        client.get(url)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        lines.append((label, queries, median, median / floor, cpu, cpu / cpu_floor, peak, floor))
    floor, cpu_floor = (statistics.median(column) for column in zip(*all_floors))
    print()
    # The CPU columns (this process's time, time.process_time) are steadier than the wall clock on a shared machine;
    # they leave out the time waiting for the database server (PostgreSQL), which the wall clock counts.
    print(f"{'page':48} {'queries':>7} {'median':>9} {'x floor':>8} {'CPU':>9} {'x floor':>8} {'peak MiB':>9} {'its floor':>10}")
    for label, queries, median, times, cpu, cpu_times, peak, its_floor in [
        (floor_label, 0, floor, 1, cpu_floor, 1, 0.0, floor), *lines
    ]:
        print(
            f"{label:48} {queries:7} {median * 1000:7.1f} ms {times:7.1f}x {cpu * 1000:6.1f} ms "
            f"{cpu_times:7.1f}x {peak:9.1f} {its_floor * 1000:7.1f} ms",
            flush=True,
        )
