"""Load benchmark: MathPath's pages against bare-Django baselines, under gunicorn on loopback.

    .venv/bin/python benchmarks/load.py [--duration 5] [--scale 1] [--keep-db]

One command: creates a separate database (mathpath_load) on the configured PostgreSQL
server (the embedded one, or DATABASE_URL's), migrates it, loads the real catalogue, seeds
1,000 learners with sessions and roadmaps and 5,000 more resources (times --scale),
collects static files, starts gunicorn with production-style settings (DEBUG=0, HTTPS=0,
hashed static files; sync workers, one per core) on 127.0.0.1 and measures every endpoint
with wrk at concurrency 10 and 50. Prints requests/s, p50, p99 and errors per endpoint
with each page's ratio to its baseline, and writes the table to docs/performance.md.
The benchmark database is dropped at the end unless --keep-db; nothing else is touched.
Without wrk (apt-get install wrk) a slower Python load generator is used instead.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

BENCH_DB = "mathpath_load"
PYTHON = sys.executable
DOC = BASE_DIR / "docs" / "performance.md"
SESSION_COOKIE = "sessionid"  # HTTPS=0, so no __Host- prefix
CSRF_COOKIE = "csrftoken"

# (label, method, path or route name, who, baseline). Who: anonymous or signed-in.
# Paths with {braces} are filled from the seeding step; missing routes are left out.
ENDPOINTS = [
    ("baseline: ok", "GET", "/bench/ok", "anonymous", None),
    ("baseline: 30-row page", "GET", "/bench/plain/", "signed-in", None),
    ("baseline: one-row write", "POST", "/bench/write/", "signed-in", None),
    ("home", "GET", "/", "anonymous", "baseline: 30-row page"),
    (
        "catalogue, filter + search",
        "GET",
        "/catalog/?domain=linear-algebra&q=matrix",
        "anonymous",
        "baseline: 30-row page",
    ),
    ("resource detail", "GET", "{detail}", "anonymous", "baseline: 30-row page"),
    ("roadmap", "GET", "{roadmap}", "signed-in", "baseline: 30-row page"),
    ("dashboard", "GET", "{dashboard}", "signed-in", "baseline: 30-row page"),
    ("status change (htmx)", "POST", "{status_change}", "signed-in", "baseline: one-row write"),
]


# --- Database -----------------------------------------------------------------------------


def with_database(url, name):
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def server_url():
    """The configured PostgreSQL server (attaching keeps the embedded one up meanwhile)."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    from mathpath.embedded_db import database_url

    return database_url(BASE_DIR / ".pgdata")


def admin_sql(url, statement):
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


# --- Seeding (runs in a child process with the benchmark settings) -----------------------


def seed(users, resources, roadmaps):
    """Fill the benchmark database; print what the measuring step needs as JSON."""
    import random

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.urls import NoReverseMatch, reverse

    from accounts.models import Profile, User
    from catalog.models import Cost, Domain, Format, Level, Resource, Style

    call_command("loadcatalog", verbosity=0)
    rng = random.Random(42)  # the same data on every run
    password = make_password("benchmark password 1234")  # one hash for all: seeding speed
    User.objects.bulk_create(
        [User(email=f"learner{n}@bench.example", password=password) for n in range(users)],
        batch_size=2000,
    )
    learners = list(User.objects.filter(email__endswith="@bench.example").order_by("pk"))
    Profile.objects.bulk_create([Profile(user=user) for user in learners], batch_size=2000)

    # Roadmaps are built from the curated catalogue, before the generated resources:
    # the builder reads the whole catalogue, and learners' roadmaps hold curated ones.
    built = 0
    started = time.perf_counter()
    try:
        from assessment.models import RATING_FIELDS, take_assessment
    except ImportError:
        take_assessment = None
    if take_assessment is not None:
        for user in learners[:roadmaps]:
            answers = {name: rng.randint(1, 5) for name in RATING_FIELDS}
            answers.update(goal="general-ml", budget="any", styles=[], weekly_hours=5)
            take_assessment(user, answers)
            built += 1
    roadmap_seconds = time.perf_counter() - started

    domains = list(Domain.objects.all())
    topics = ["eigenvalues", "matrix products", "gradient descent", "Bayes' theorem",
              "probability", "graph theory", "NumPy", "backpropagation", "entropy"]
    Resource.objects.bulk_create(
        [
            Resource(
                title=f"{rng.choice(topics).capitalize()} course {n}",
                slug=f"bench-resource-{n}",
                provider=rng.choice(["Khan Academy", "MIT", "Brilliant", "Example Press"]),
                url=f"https://example.com/bench/{n}",
                format=rng.choice(Format.values),
                level=rng.choice(Level.values),
                cost=Cost.FREE,
                styles=rng.sample(Style.values, rng.randint(1, 3)),
                estimated_hours=rng.randint(2, 60),
                summary=f"A resource about {rng.choice(topics)} with worked examples.",
                published=True,
            )
            for n in range(resources)
        ],
        batch_size=2000,
    )
    through = Resource.domains.through
    through.objects.bulk_create(
        [
            through(resource_id=pk, domain_id=rng.choice(domains).pk)
            for pk in Resource.objects.filter(slug__startswith="bench-").values_list(
                "pk", flat=True
            )
        ],
        batch_size=5000,
    )

    # Sessions for up to 200 learners with roadmaps (any learners when there are none).
    sessions = []
    for user in (learners[:built] or learners)[:200]:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)

    def route(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    detail = (
        Resource.objects.filter(prerequisites__isnull=False).order_by("pk").first()
        or Resource.objects.order_by("pk").first()
    )
    paths = {
        "detail": detail.get_absolute_url(),
        "roadmap": route("assessment:roadmap") or route("roadmap:detail"),
        # The dashboard is the home page of a signed-in learner, when it exists.
        "dashboard": "/" if route("assessment:progress") else None,
        "status_change": route("assessment:set_status", slug=detail.slug) if detail else None,
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "sessions": sessions,
                "paths": paths,
                "roadmaps": built,
                "roadmap_seconds": round(roadmap_seconds, 1),
                "users": User.objects.count(),
                "resources": Resource.objects.count(),
            }
        )
    )


def count_queries(paths, session_key):
    """Queries per request for each endpoint, through Django's test client."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, method, path, who in paths:
        client = Client(HTTP_HOST="127.0.0.1")
        if who == "signed-in":
            client.cookies[SESSION_COOKIE] = session_key
        # Posts count a real change (in progress, then done), as the load runs mostly make.
        warm, data = ("status=in_progress", "status=done") if method == "POST" else ("", "")
        kind = "application/x-www-form-urlencoded"
        client.generic(method, path, warm, kind)  # warm caches (content types, sessions)
        with CaptureQueriesContext(connection) as queries:
            client.generic(method, path, data, kind)
        counts[label] = len(queries)
    print(json.dumps(counts))


# --- Measuring ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, method, path, headers, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def wait_until_idle(port, timeout=120):
    """Wait until a slow endpoint's backlog has drained: /healthz answers at once again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if fetch(port, "GET", "/healthz", {}) == 200 and time.monotonic() - started < 0.2:
                return
        except OSError:
            pass
        time.sleep(0.5)


def share(result, baseline):
    """A run's requests/s as a percentage of its baseline's."""
    return f"{result['rps'] / baseline['rps']:.0%}" if baseline["rps"] else "—"


def ms(value):
    return "timeout" if value is None else f"{value:.1f}"


def merge(first, second):
    """The mean of two runs of one endpoint (a run where nothing finished counts as lost)."""
    if not first["requests"] or not second["requests"]:
        return first if first["requests"] else second
    return {k: (first[k] + second[k]) / 2 if k != "errors" else first[k] + second[k]
            for k in first}


def wait_until_up(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch(port, "GET", "/healthz", {}) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


WRK_THREADS = 2


def wrk_script(method, sessions, csrf):
    """A wrk Lua script: each of wrk's threads rotates through its own share of the learners'
    sessions, so no two requests in flight are for the same learner (and posts a form)."""
    cookies = [f"{SESSION_COOKIE}={key}; {CSRF_COOKIE}={csrf}" for key in sessions] or [""]
    lines = [
        "local cookies = {" + ",".join(json.dumps(c) for c in cookies) + "}",
        "local threads = 0",
        # setup() runs once per thread, before it starts: number the threads.
        "function setup(thread)",
        "  thread:set('thread_number', threads)",
        "  threads = threads + 1",
        "end",
        f"local share = math.max(1, math.floor(#cookies / {WRK_THREADS}))",
        "local n = 0",
        "request = function()",
        f"  local i = (thread_number + (n % share) * {WRK_THREADS}) % #cookies + 1",
        "  n = n + 1",
    ]
    headers = '{["Cookie"] = cookies[i]'
    if method == "POST":
        headers += (
            f', ["X-CSRFToken"] = "{csrf}", ["HX-Request"] = "true",'
            ' ["Content-Type"] = "application/x-www-form-urlencoded"'
        )
        # Alternate the status on every pass through the thread's learners, so each request
        # really changes a row.
        lines.insert(1, 'local statuses = {"in_progress", "done"}')
        lines.append("  local status = statuses[math.floor((n - 1) / share) % 2 + 1]")
        lines.append(f'  return wrk.format("POST", nil, {headers}}}, "status=" .. status)')
    else:
        lines.append(f"  return wrk.format(nil, nil, {headers}}})")
    lines.append("end")
    return "\n".join(lines) + "\n"


DURATION_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output, concurrency):
    if int(re.search(r"(\d+) requests in", output).group(1)) == 0:
        # Nothing finished in the whole run: every connection is an error, not a zero.
        return {"rps": 0.0, "p50": None, "p99": None, "errors": concurrency, "requests": 0}

    def latency(percent):
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return float(match.group(1)) * DURATION_UNITS[match.group(2)]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": errors,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def run_wrk(port, method, path, sessions, csrf, concurrency, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(method, sessions, csrf))
    try:
        result = subprocess.run(
            ["wrk", f"-t{WRK_THREADS}", f"-c{concurrency}", f"-d{duration}s", "--latency",
             "--timeout", "10s", "-s", script.name, f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        )
    finally:
        os.unlink(script.name)
    return parse_wrk(result.stdout, concurrency)


def run_python_load(port, method, path, sessions, csrf, concurrency, duration):
    """A threaded load generator for machines without wrk (slower: it measures less)."""
    timings, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + duration

    def worker(n):
        i = n
        while time.monotonic() < deadline:
            headers = {}
            if sessions:
                headers["Cookie"] = f"{SESSION_COOKIE}={sessions[i % len(sessions)]}; " \
                                    f"{CSRF_COOKIE}={csrf}"
            if method == "POST":
                headers.update({"X-CSRFToken": csrf, "HX-Request": "true",
                                "Content-Type": "application/x-www-form-urlencoded"})
            # Posts alternate the status on every pass through the learners, as with wrk.
            body = None
            if method == "POST":
                body = "status=" + ("in_progress", "done")[i // max(len(sessions), 1) % 2]
            start = time.perf_counter()
            try:
                status = fetch(port, method, path, headers, body)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                if not 200 <= status < 400:
                    errors[0] += 1
            i += concurrency

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    timings.sort()
    if not timings:
        return {"rps": 0.0, "p50": None, "p99": None, "errors": concurrency, "requests": 0}
    return {
        "rps": len(timings) / elapsed,
        "p50": statistics.median(timings),
        "p99": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        "errors": errors[0],
        "requests": len(timings),
    }


# --- Report -------------------------------------------------------------------------------


def table(results, concurrencies, queries):
    lines = [
        "| endpoint | queries | " + " | ".join(
            f"c={c} req/s | c={c} p50 ms | c={c} p99 ms | c={c} errors | c={c} ratio"
            for c in concurrencies
        ) + " |",
        "|---" * (2 + 5 * len(concurrencies)) + "|",
    ]
    for label, baseline in [(e[0], e[4]) for e in ENDPOINTS]:
        if label not in results:
            continue
        cells = [label, str(queries.get(label, "?"))]
        for c in concurrencies:
            r = results[label][c]
            ratio = share(r, results[baseline][c]) if baseline in results else "—"
            cells += [f"{r['rps']:.0f}", ms(r["p50"]), ms(r["p99"]), str(r["errors"]), ratio]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def page_cache_on():
    """Whether the site keeps drawn page parts (PAGE_CACHE, as mathpath/settings.py reads it)."""
    from mathpath.env import env_bool

    return env_bool("PAGE_CACHE", True)


def write_doc(text, scale):
    """docs/performance.md; -<scale>x for a growth run, -uncached with PAGE_CACHE=0."""
    name = "performance" + ("" if scale == 1 else f"-{scale}x")
    name += "" if page_cache_on() else "-uncached"
    doc = DOC.with_name(f"{name}.md")
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(text)
    return doc


# --- Main ---------------------------------------------------------------------------------


def child_env(bench_url):
    return {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "ADMIN_REQUIRE_MFA": "0",
        "PYTHONPATH": str(BASE_DIR),
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run (5-10)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--scale", type=int, default=1, help="multiply users and resources")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--roadmaps", type=int, default=1000, help="learners with a roadmap")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--no-doc", action="store_true", help="don't write docs/performance.md")
    args = parser.parse_args()
    users, resources = args.users * args.scale, args.resources * args.scale
    roadmaps = args.roadmaps * args.scale

    base_url = server_url()
    bench_url = with_database(base_url, BENCH_DB)
    env = child_env(bench_url)
    use_wrk = shutil.which("wrk") is not None
    generator = run_wrk if use_wrk else run_python_load

    admin_sql(base_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    admin_sql(base_url, f'CREATE DATABASE "{BENCH_DB}"')
    server = None
    try:
        started = time.perf_counter()
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        seeded = json.loads(
            subprocess.run(
                [PYTHON, __file__, "--seed", str(users), str(resources), str(roadmaps)],
                cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True,
            ).stdout.strip().splitlines()[-1]
        )
        print(
            f"Seeded {seeded['users']} users ({seeded['roadmaps']} with roadmaps, built in "
            f"{seeded['roadmap_seconds']} s) and {seeded['resources']} resources in "
            f"{time.perf_counter() - started:.0f} s."
        )
        sessions, csrf = seeded["sessions"], "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(32)
        )
        endpoints = []
        for label, method, path, who, baseline in ENDPOINTS:
            path = path.format(**seeded["paths"]) if "{" in path else path
            if path and path != "None":
                endpoints.append((label, method, path, who, baseline))

        queries = json.loads(
            subprocess.run(
                [PYTHON, __file__, "--count-queries", sessions[0],
                 json.dumps([e[:4] for e in endpoints])],
                cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True,
            ).stdout.strip().splitlines()[-1]
        )

        port = free_port()
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "mathpath.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning"],
            cwd=BASE_DIR, env=env,
        )
        wait_until_up(port)
        for label, method, path, who, _ in endpoints:
            headers = {}
            if who == "signed-in":
                headers["Cookie"] = f"{SESSION_COOKIE}={sessions[0]}; {CSRF_COOKIE}={csrf}"
            if method == "POST":
                headers.update({"X-CSRFToken": csrf, "HX-Request": "true",
                                "Content-Type": "application/x-www-form-urlencoded"})
            status = fetch(port, method, path, headers, "status=done" if method == "POST" else None)
            if status != 200:
                raise SystemExit(f"{label}: {method} {path} answered {status}, not 200")

        tool = "wrk" if use_wrk else "a Python threaded load generator (wrk not found)"
        print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; {tool}, "
              f"{args.duration} s per run")
        print(f"{'endpoint':<30} {'c':>3} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'errors':>7} {'ratio':>6}")
        results = {}
        # Baselines are measured first and again last, and their mean is used: other work
        # on the machine drifts, and the ratios should not depend on when it happened.
        baselines = [e for e in endpoints if e[4] is None]
        for label, method, path, who, baseline in [*endpoints, *baselines]:
            again = label in results
            keys = sessions if who == "signed-in" else []
            wait_until_idle(port)
            if method == "GET" and keys and not again:
                # Each learner's first view draws the page into the page cache; the runs
                # measure repeat views (PAGE_CACHE=0 measures drawing every time).
                for key in keys:
                    cookie = f"{SESSION_COOKIE}={key}; {CSRF_COOKIE}={csrf}"
                    fetch(port, method, path, {"Cookie": cookie})
            generator(port, method, path, keys, csrf, 5, 1)  # warm every worker
            for c in args.concurrency:
                r = generator(port, method, path, keys, csrf, c, args.duration)
                if again:
                    r = merge(results[label][c], r)
                results.setdefault(label, {})[c] = r
                ratio = (
                    share(r, results[baseline][c]) if baseline in results else ""
                )
                shown = f"{label} (mean)" if again else label
                print(f"{shown:<30} {c:>3} {r['rps']:8.0f} {ms(r['p50']):>8} {ms(r['p99']):>8} "
                      f"{r['errors']:>7} {ratio:>6}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep_db:
            admin_sql(base_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')

    report = render_report(args, seeded, results, queries, tool, endpoints)
    if not args.no_doc:
        doc = write_doc(report, args.scale)
        print(f"Wrote {doc.relative_to(BASE_DIR)}.")


def render_report(args, seeded, results, queries, tool, endpoints):
    import django

    cpu = "unknown CPU"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    command = "benchmarks/load.py" + ("" if args.scale == 1 else f" --scale {args.scale}")
    growth = (
        "Growth: `benchmarks/load.py --scale 10` runs the same with ten times the data and\n"
        "writes docs/performance-10x.md; query counts should match and p50 stay within 1.5x."
        if args.scale == 1
        else f"Growth run with {args.scale}x the data: compare with docs/performance.md (1x); "
        "query counts\nshould match and p50 stay within 1.5x."
    )

    cache_note = (
        "Page cache on (the default): the roadmap, the dashboard and the catalogue's results\n"
        "  are drawn once per learner (or query) and version, then served from the pages cache\n"
        "  (mathpath/pagecache.py). Before the runs each learner views each page once, so the\n"
        "  runs measure repeat views; docs/performance-uncached.md (`PAGE_CACHE=0`) measures\n"
        "  drawing every view. *Queries* counts a repeat view."
        if page_cache_on()
        else "Page cache off (`PAGE_CACHE=0`): every view draws its page afresh; compare with\n"
        "  docs/performance.md, measured with the cache."
    )
    return f"""# Performance

The last run of `{"" if page_cache_on() else "PAGE_CACHE=0 "}.venv/bin/python {command}`
({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC). Rerun it to refresh this page.
{growth}

## How it is measured

- gunicorn, {args.workers} sync workers, production-style settings (`DEBUG=0`, `HTTPS=0`,
  hashed static files through whitenoise, persistent database connections), on 127.0.0.1.
- PostgreSQL: a separate `{BENCH_DB}` database on the same server as the site's, dropped after.
- Data: {seeded['users']} users ({seeded['roadmaps']} with an assessment and a roadmap),
  {seeded['resources']} resources (the real catalogue plus generated ones).
- Load: {tool}, {args.duration} s per run after a 1 s warm-up, at concurrency
  {' and '.join(map(str, args.concurrency))}. Signed-in runs rotate through
  {len(seeded['sessions'])} learners' sessions. The load generator shares the machine's
  {os.cpu_count()} cores ({cpu}) with gunicorn and PostgreSQL.
- Python {platform.python_version()}, Django {django.get_version()}.
- {cache_note}
- The status change alternates between "in progress" and "done" on every pass through the
  learners (each of wrk's threads has its own learners, so no two requests in flight are
  for the same one), so nearly every request is a real change: the progress row, an event, the
  roadmap's skip flag, pending reviews, the learner's pages version and, for "done", three
  reviews and an exercise suggestion. All of it is one call of a PL/pgSQL function
  (assessment/migrations/0004), atomic on its own and planned once per connection; "done"
  first reads the learner's time zone and the resource's domains (one query). A repeat of
  the current status writes nothing.

Baselines, served by the same gunicorn and settings (benchmarks/baseline_views.py):
**ok** is a bare view returning `ok`; **30-row page** renders 30 rows from one query in
the site's layout for a signed-in learner; **one-row write** is a signed-in POST doing one
`INSERT … ON CONFLICT DO UPDATE`. Baselines run first and again last; the table shows
their mean, so drift from other work on the machine weighs on both sides. *Ratio* is a
page's requests/s over its baseline's (pages: the 30-row page; the status change: the
one-row write). Targets: every page at
least 60 % of its baseline, zero errors, p99 under 100 ms at concurrency 10.
*Queries* is the number of SQL queries one request makes.

## Results

{table(results, args.concurrency, queries)}

{verdict(results, args.concurrency)}
"""


def verdict(results, concurrencies):
    """One line per page: does it meet the targets above?"""
    lines = []
    for label, _, _, _, baseline in ENDPOINTS:
        if label not in results or baseline not in results:
            continue
        ratios = [results[label][c]["rps"] / max(results[baseline][c]["rps"], 1e-9)
                  for c in concurrencies]
        errors = sum(results[label][c]["errors"] for c in concurrencies)
        p99 = results[label][min(concurrencies)]["p99"]
        misses = []
        if min(ratios) < 0.6:
            misses.append(f"{min(ratios):.0%} of its baseline")
        if errors:
            misses.append(f"{errors} errors")
        if p99 is None:
            misses.append(f"no request finished at c={min(concurrencies)}")
        elif p99 >= 100:
            misses.append(f"p99 {p99:.0f} ms at c={min(concurrencies)}")
        lines.append(f"- {label}: " + ("meets the targets" if not misses
                                        else "misses the targets (" + ", ".join(misses) + ")"))
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--seed":
        seed(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--count-queries":
        count_queries(json.loads(sys.argv[3]), sys.argv[2])
    else:
        main()
