"""Build the hostile-file corpus at full size and run every file through `manage.py import_plan`.

    .venv/bin/python scripts/hostile_files.py            # the corpus, on SQLite
    .venv/bin/python scripts/hostile_files.py --gunicorn # and a 5,000-row admin import behind gunicorn

Each file is imported by a fresh `manage.py import_plan` process into a fresh copy of a migrated
SQLite database; for each it prints the exit code, the message, the seconds taken, the process's
peak memory (its maximum resident set, Django included) and the rows saved. It fails (exit 1) when
any file gives a traceback, saves part of a file it refused, takes longer than the limit or uses
more memory than the limit (README "Imports that stay within bounds").
"""

import argparse
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import hostile  # noqa: E402  (the builders the tests use, at full size here)

PYTHON = sys.executable
TIME = shutil.which("time") or "/usr/bin/time"  # GNU time (Debian: apt-get install time)
# Refusing takes well under a second; saving is what takes longer (10,000 new actions: about 4 s on SQLite).
SECONDS_LIMIT = 10
MEMORY_LIMIT_MIB = 200


def realistic_plan(rows, text_length=600):
    """A plan as a council writes one, `rows` actions with long text and progress."""
    from core.spreadsheets import write_xlsx

    headers = ["Plan", "Area", "Recommendation No", "Recommendation", "Action No", "Action", "Leads",
               "Timescale", "Status", "Status date", "Progress", "Progress date"]
    words = "Review the safeguarding referral pathway with partners and report to the board "
    text = (words * (text_length // len(words) + 1))[:text_length]
    body = [
        ["Large plan", f"Area {n // 500}", str(n // 10), f"Recommendation {n // 10}: {text[:200]}", f"{n // 10}.{n % 10}",
         f"{n}: {text}", "Alison Hughes (AH)", "March 2011", "on track", "2010-06-30", f"Update {n}: {text}", "2010-06-30"]
        for n in range(1, rows + 1)
    ]
    return f"plan-{rows}-rows.xlsx", write_xlsx([("Plan", headers, body)])


def corpus():
    return [
        hostile.sparse_far_xlsx(),
        hostile.sparse_claim_xlsx(),
        hostile.huge_cell_xlsx(1 << 30),
        hostile.huge_shared_string_xlsx(50 * 1024 * 1024),
        hostile.zip_bomb_xlsx(1024),
        hostile.corrupt_xml_xlsx(),
        hostile.entity_xlsx(),
        hostile.not_a_zip_xlsx(),
        hostile.merged_cells_xlsx(),
        hostile.far_merge_xlsx(9_000, repeats=1_000),
        hostile.formatted_down_xlsx(),
        hostile.wide_rows_xlsx(15),
        hostile.wide_rows_xlsx(25),
        hostile.wide_csv(200),
        hostile.utf16_csv(),
        hostile.latin1_csv(),
        hostile.nul_bytes_csv(),
        hostile.unclosed_quote_csv(),
        hostile.blank_rows_csv(19),
        hostile.duplicate_header_csv(),
        hostile.formula_csv(),
        hostile.many_rows_csv(50_000),
        hostile.many_rows_xlsx(50_000),
        hostile.many_rows_xlsx(10_000),
        realistic_plan(10_000),
        realistic_plan(5_000),
    ]


def migrated_database(folder):
    path = folder / "template.sqlite3"
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{path}")
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return path


def saved_rows(database):
    with sqlite3.connect(database) as connection:
        return sum(
            connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608 (fixed table names)
            for table in ("actionplans_action", "actionplans_milestone", "actionplans_progressupdate")
        )


def run_one(folder, template, name, data):
    path = folder / name
    path.write_bytes(data)
    database = folder / f"{name}.sqlite3"
    shutil.copy(template, database)
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}")
    out_path, err_path = folder / "out.txt", folder / "err.txt"
    started = time.perf_counter()
    memory_path = folder / "memory.txt"
    with open(out_path, "w") as out_file, open(err_path, "w") as err_file:
        # GNU time measures the import's own peak: a child forked from this process would count, before it
        # runs the import, all that this process holds (the corpus).
        exit_code = subprocess.call(
            [TIME, "-f", "%M", "-o", str(memory_path), PYTHON, "manage.py", "import_plan", str(path)],
            cwd=ROOT, env=env, stdout=out_file, stderr=err_file,
        )
    seconds = time.perf_counter() - started
    peak = int(memory_path.read_text().split()[-1]) / 1024
    out, err = out_path.read_text(), err_path.read_text()
    message = (err.strip().splitlines() or [""])[-1] if exit_code else (out.strip().splitlines() or [""])[-1]
    path.unlink()
    rows = saved_rows(database)
    database.unlink()
    return {
        "file": name, "size": len(data), "exit": exit_code, "message": message,
        "seconds": seconds, "peak": peak, "rows": rows, "traceback": "Traceback" in err,
    }


def table(results):
    lines = [
        "| File | Size | Exit | Message | Seconds | Peak MiB | Rows saved |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    for found in results:
        message = found["message"].replace("|", "\\|")
        message = message if len(message) <= 110 else message[:107] + "..."
        lines.append(
            f"| {found['file']} | {_size(found['size'])} | {found['exit']} | {message} | {found['seconds']:.2f} | "
            f"{found['peak']:.0f} | {found['rows']:,} |"
        )
    return "\n".join(lines)


def _size(count):
    for unit in ("B", "KB", "MB"):
        if count < 1024 or unit == "MB":
            return f"{count:,.0f} {unit}" if unit == "B" else f"{count:,.1f} {unit}"
        count /= 1024


def problems(results):
    found = []
    for result in results:
        if result["traceback"]:
            found.append(f"{result['file']}: a traceback")
        if result["exit"] and result["rows"]:
            found.append(f"{result['file']}: refused but {result['rows']} rows saved")
        if result["seconds"] > SECONDS_LIMIT:
            found.append(f"{result['file']}: {result['seconds']:.1f} s, over {SECONDS_LIMIT} s")
        if result["peak"] > MEMORY_LIMIT_MIB:
            found.append(f"{result['file']}: {result['peak']:.0f} MiB, over {MEMORY_LIMIT_MIB} MiB")
    return found


# --- An admin import behind gunicorn --------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_import(folder, template, rows):
    """Preview and confirm a `rows`-row plan in Django admin, served by gunicorn with its 30 s timeout."""
    database = folder / "gunicorn.sqlite3"
    shutil.copy(template, database)
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", DEBUG="0", SECRET_KEY="hostile-files-" + "x" * 40,
               ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0",
               CSRF_COOKIE_SECURE="0", IMPORT_STAGING_DIR=str(folder / "staging"))
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    password = "Gunicorn-import-1"
    subprocess.run(
        [PYTHON, "manage.py", "shell", "-c",
         "from django.contrib.auth import get_user_model; "
         f"get_user_model().objects.create_superuser('admin', 'admin@example.org', '{password}')"],
        cwd=ROOT, env=env, check=True,
    )
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(folder / "gunicorn.log", "w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        cookies = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

        def token(html):
            return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

        login = opener.open(f"{base}/admin/login/").read().decode()
        opener.open(urllib.request.Request(
            f"{base}/admin/login/?next=/admin/",
            data=urllib.parse.urlencode({"username": "admin", "password": password, "csrfmiddlewaretoken": token(login),
                                         "next": "/admin/"}).encode(),
            headers={"Referer": f"{base}/admin/login/"},
        ))
        import_url = f"{base}/admin/actionplans/plan/import/"
        page = opener.open(import_url).read().decode()
        name, data = realistic_plan(rows)
        boundary = "----hostile-files-boundary"
        body = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token(page)}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="import_file"; filename="{name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        started = time.perf_counter()
        try:
            preview = opener.open(urllib.request.Request(
                import_url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                "Referer": import_url},
            ), timeout=60)
        except urllib.error.HTTPError as error:
            log = (folder / "gunicorn.log").read_text()[-2000:]
            return {"rows": rows, "preview": (error.code, time.perf_counter() - started), "confirm": None, "error": log}
        preview_html = preview.read().decode()
        preview_seconds = time.perf_counter() - started
        staged = re.search(r'name="token" value="([0-9a-f]{32})"', preview_html)
        if not staged:
            return {"rows": rows, "preview": (preview.status, preview_seconds), "confirm": None,
                    "error": re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", preview_html))[:300]}
        started = time.perf_counter()
        confirm = opener.open(urllib.request.Request(
            import_url, headers={"Referer": import_url},
            data=urllib.parse.urlencode({"csrfmiddlewaretoken": token(preview_html), "token": staged.group(1),
                                         "confirm": "1"}).encode(),
        ), timeout=60)
        confirm.read()
        confirm_seconds = time.perf_counter() - started
        return {"rows": rows, "preview": (preview.status, preview_seconds), "confirm": (confirm.status, confirm_seconds),
                "saved": saved_rows(database)}
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--gunicorn", action="store_true", help="also import 5,000 rows through the admin behind gunicorn")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hostile-files-") as folder:
        folder = Path(folder)
        template = migrated_database(folder)
        results = []
        for name, data in corpus():
            results.append(run_one(folder, template, name, data))
            print(f"  {name}: exit {results[-1]['exit']}, {results[-1]['seconds']:.2f} s", file=sys.stderr)
        print(table(results))
        found = problems(results)
        if options.gunicorn:
            for rows in (5_000, 10_000):
                result = gunicorn_import(folder, template, rows)
                print(f"\nAdmin import of {rows:,} rows behind gunicorn (30 s worker timeout): {result}")
                if result.get("confirm") is None or result["confirm"][0] != 200:
                    found.append(f"admin import of {rows:,} rows behind gunicorn did not finish: {result}")
        for problem in found:
            print(f"PROBLEM: {problem}")
        sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
