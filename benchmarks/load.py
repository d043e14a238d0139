"""Load benchmark: MathPath's pages against bare-Django baselines, under gunicorn on loopback.

    .venv/bin/python benchmarks/load.py [--duration 5] [--scale 1] [--db-name mathpath_load]
                                        [--keep-db] [--no-doc]

One command: creates a separate database (mathpath_load, or --db-name) on the configured
PostgreSQL server (the embedded one, or DATABASE_URL's), migrates it, loads the real
catalogue, seeds 1,000 learners with sessions and roadmaps and 5,000 more resources (times
--scale), collects static files, starts gunicorn with production-style settings (DEBUG=0,
HTTPS=0, hashed static files; sync workers, one per core) on 127.0.0.1 and measures every
endpoint, and a learner-session mix of them, with wrk at concurrency 10 and 50. Prints
requests/s, p50, p99 and errors per endpoint with each one's ratio to its baseline and
whether it meets its target. A 1x run rewrites only the generated section of
docs/performance.md (between the bench:start and bench:end comments); a --scale run writes
docs/performance-<scale>x.md whole and compares with the 1x run recorded there.
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
from typing import NamedTuple
from urllib.parse import quote_plus, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

BENCH_DB = "mathpath_load"
PYTHON = sys.executable
DOC = BASE_DIR / "docs" / "performance.md"
# docs/performance.md is hand-written except between these two lines, which a 1x run rewrites.
SECTION_START = "<!-- bench:start -->"
SECTION_END = "<!-- bench:end -->"
DATA_MARK = "<!-- bench:data "  # the run's figures as JSON, for a --scale run to compare with
SESSION_COOKIE = "sessionid"  # HTTPS=0, so no __Host- prefix
CSRF_COOKIE = "csrftoken"
FORM = "application/x-www-form-urlencoded"

# Targets. p99 is checked at this concurrency (or the lowest one measured).
P99_LIMIT_MS = 100
P99_AT = 10
GROWTH_P50_LIMIT = 1.2  # a --scale run's p50 over the 1x run's, with the same query counts


class Endpoint(NamedTuple):
    label: str
    method: str
    path: str  # {braces} are filled from the seeding step; missing routes are left out
    who: str  # "anonymous" or "signed-in"
    baseline: str | None = None  # the label its requests/s are compared with
    target: float | None = None  # the least requests/s it should reach, as a share of that
    # For POSTs: "status" (htmx status change), "note" or "card" (form posts).
    body: str | None = None


ENDPOINTS = [
    Endpoint("baseline: ok", "GET", "/bench/ok", "anonymous"),
    Endpoint("baseline: 30-row page", "GET", "/bench/plain/", "signed-in"),
    Endpoint("baseline: one-row write", "POST", "/bench/write/", "signed-in", body="status"),
    # The home page is not named by the targets; it keeps the old 60 % every page had.
    Endpoint("home", "GET", "/", "anonymous", "baseline: 30-row page", 0.6),
    Endpoint(
        "catalogue, filter + search",
        "GET",
        "/catalog/?domain=linear-algebra&q=matrix",
        "anonymous",
        "baseline: 30-row page",
        0.6,
    ),
    Endpoint("resource detail", "GET", "{detail}", "anonymous", "baseline: 30-row page", 0.8),
    Endpoint(
        "resource detail, signed in", "GET", "{detail}", "signed-in", "baseline: 30-row page", 0.8
    ),
    Endpoint("roadmap", "GET", "{roadmap}", "signed-in", "baseline: 30-row page", 0.6),
    # The dashboard is the home page of a signed-in learner.
    Endpoint("dashboard", "GET", "/", "signed-in", "baseline: 30-row page", 0.6),
    Endpoint(
        "status change (htmx)",
        "POST",
        "{status_change}",
        "signed-in",
        "baseline: one-row write",
        0.5,
        body="status",
    ),
    # A card session's answer, "Good", on a card due today: the learner's next due card each
    # time (see DUE_CARDS), a plain form post whose redirect is not followed.
    Endpoint(
        "card answer",
        "POST",
        "{card_session}",
        "signed-in",
        "baseline: one-row write",
        0.5,
        body="card",
    ),
    # No target of its own: measured so that the mix, which has it, can be explained.
    Endpoint(
        "note save", "POST", "{note}", "signed-in", "baseline: one-row write", None, body="note"
    ),
]


class Mix(NamedTuple):
    label: str
    steps: list[str]  # endpoint labels, in the order each learner walks them
    baseline: str | None = None
    target: float | None = None  # None: reported beside its baseline, no target set


# Each learner walks the sequence, again and again, with their own data; the baseline mix
# has the same proportions (5 GETs of the 30-row page, 2 one-row writes in 7) and positions.
PAGE, WRITE = "baseline: 30-row page", "baseline: one-row write"
MIXES = [
    Mix("baseline: session mix", [PAGE, PAGE, WRITE, PAGE, PAGE, WRITE, PAGE]),
    Mix(
        "learner-session mix",
        ["dashboard", "roadmap", "status change (htmx)", "roadmap", "resource detail, signed in",
         "note save", "dashboard"],
        "baseline: session mix",
        None,
    ),
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
    except ImportError as error:
        print(f"No roadmaps: {error}", file=sys.stderr)  # the roadmap pages would be empty
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

    # Every recall card due yesterday in each session learner's deck, so each answer the
    # card runs post rates a card still due: ids per session, in the order they are posted.
    from catalog.models import RecallCard
    from progress.models import LearnerCard

    card_ids = list(RecallCard.objects.order_by("pk").values_list("pk", flat=True))
    due = datetime.date.today() - datetime.timedelta(days=1)
    by_user = {user.pk: key for user, key in zip(learners, sessions, strict=False)}
    LearnerCard.objects.bulk_create(
        [LearnerCard(user_id=pk, card_id=card, due=due) for pk in by_user for card in card_ids],
        batch_size=5000,
    )
    due_cards = {}
    for pk, user_id in LearnerCard.objects.filter(user_id__in=by_user).order_by("pk").values_list(
        "pk", "user_id"
    ):
        due_cards.setdefault(by_user[user_id], []).append(pk)

    def route(*names, **kwargs):
        """The path of the first of these URL names that exists, or None."""
        for name in names:
            with contextlib.suppress(NoReverseMatch):
                return reverse(name, kwargs=kwargs or None)
        return None

    detail = (
        Resource.objects.filter(prerequisites__isnull=False).order_by("pk").first()
        or Resource.objects.order_by("pk").first()
    )
    # The learner's routes may live in the assessment app or a progress app of their own.
    paths = {
        "detail": detail.get_absolute_url(),
        "roadmap": route("assessment:roadmap", "progress:roadmap", "roadmap:detail"),
        "status_change": route(
            "assessment:set_status", "progress:set_status", slug=detail.slug
        ),
        "note": route("assessment:note", "progress:note", slug=detail.slug),
        "card_session": route("progress:card_session"),
    }
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "sessions": sessions,
                "due_cards": due_cards,
                "paths": paths,
                "roadmaps": built,
                "roadmap_seconds": round(roadmap_seconds, 1),
                "users": User.objects.count(),
                "resources": Resource.objects.count(),
            }
        )
    )


def count_queries(endpoints, session_key, cards):
    """Queries per request for each endpoint, through Django's test client."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Posts count a real change (in progress, then done; a new note text), as the load runs
    # nearly always make, and the status change as htmx, as it is loaded.
    bodies = {
        None: ("", ""),
        "status": ("status=in_progress", "status=done"),
        "note": ("text=A+first+note.", "text=A+second+note."),
        "card": tuple(f"card={card}&rating=3" for card in [*cards, 0, 0][:2]),
    }
    counts = {}
    for label, method, path, who, body in endpoints:
        client = Client(HTTP_HOST="127.0.0.1")
        if who == "signed-in":
            client.cookies[SESSION_COOKIE] = session_key
        headers = {"HX-Request": "true"} if body == "status" else {}
        warm, data = bodies[body]
        client.generic(method, path, warm, FORM, headers=headers)  # content types, sessions
        with CaptureQueriesContext(connection) as queries:
            client.generic(method, path, data, FORM, headers=headers)
        counts[label] = len(queries)
    print(json.dumps(counts))


# --- Measuring ----------------------------------------------------------------------------


class Workload(NamedTuple):
    """What one wrk run loads: one endpoint, or a mix of them that each learner walks."""

    label: str
    steps: list[Endpoint]
    who: str
    baseline: str | None
    target: float | None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, method, path, headers, body=None):
    """One request: its status and Location header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        conn.close()


def wait_until_idle(port, timeout=120):
    """Wait until a slow endpoint's backlog has drained: /healthz answers at once again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            if fetch(port, "GET", "/healthz", {})[0] == 200 and time.monotonic() - started < 0.2:
                return
        except OSError:
            pass
        time.sleep(0.5)


def wait_until_up(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if fetch(port, "GET", "/healthz", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


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


# A note as a learner might write one; each save appends a number of its own, so every
# save changes the note.
NOTE_TEXT = "Worked the *eigenvalue* examples by hand first; proofs next. Saved by the benchmark "


def post_headers(body, csrf):
    """The headers of a POST beside the cookie: an htmx status change, or a plain form post
    whose CSRF token is in the form."""
    if body == "status":
        return {"X-CSRFToken": csrf, "HX-Request": "true", "Content-Type": FORM}
    return {"Content-Type": FORM}


STATUSES = ("in_progress", "done")


def next_status(last):
    """The status that changes a learner's last one: they alternate."""
    return "done" if last == "in_progress" else "in_progress"


# Each session's recall cards still due, in the order the card answers post them; a run
# takes them from the front (a learner whose cards ran out answers one already rated: the
# "already reviewed" message and the same redirect).
DUE_CARDS: dict[str, list[int]] = {}


def next_card(session):
    """The learner's next due card, taken off their list."""
    due = DUE_CARDS.get(session) or [0]
    return due.pop(0) if len(due) > 1 else due[0]


def post_body(body, csrf, status, note_number, session=""):
    """A status change's form, a card answer's, or a note's with a text of its own."""
    if body == "status":
        return f"status={status}"
    if body == "card":
        return f"csrfmiddlewaretoken={csrf}&card={next_card(session)}&rating=3"
    return f"csrfmiddlewaretoken={csrf}&text={quote_plus(NOTE_TEXT)}{note_number}"


WRK_THREADS = 2


def wrk_script(steps, sessions, csrf, tag, last_status):
    """A wrk Lua script for a workload.

    Each of wrk's threads has learners of its own and takes them in turn, so no two requests
    in flight are for the same learner (there are more learners per thread than connections).
    Each learner walks the steps in order, one step per turn, starting at a step that
    depends on the learner, so that any stretch of requests has the steps' proportions.
    A status change posts the status each learner does not have (last_status: session to
    status), and done() prints what each thread posted last, so the next run goes on from it.
    """
    cookies = [f"{SESSION_COOKIE}={key}; {CSRF_COOKIE}={csrf}" for key in sessions] or [""]
    # 0: no status yet; else the index in STATUSES, Lua-style (1-based).
    last = [STATUSES.index(last_status[key]) + 1 if key in last_status else 0 for key in sessions]
    steps_lua = ", ".join(
        f"{{method = {json.dumps(s.method)}, path = {json.dumps(s.path)},"
        f" body = {json.dumps(s.body or '')}}}"
        for s in steps
    )
    status_headers = "".join(
        f'    headers["{name}"] = {json.dumps(value)}\n'
        for name, value in post_headers("status", csrf).items()
    )
    note_headers = "".join(
        f'    headers["{name}"] = {json.dumps(value)}\n'
        for name, value in post_headers("note", csrf).items()
    )
    note = json.dumps(f"csrfmiddlewaretoken={csrf}&text={quote_plus(NOTE_TEXT)}{tag}")
    # Each learner's due cards, in the cookies' order (the last one repeats when they run out).
    due = [DUE_CARDS.get(key) or [0] for key in sessions] or [[0]]
    due_lua = ", ".join("{" + ", ".join(map(str, ids)) + "}" for ids in due)
    card = json.dumps(f"csrfmiddlewaretoken={csrf}&rating=3&card=")
    return f"""\
local cookies = {{{", ".join(json.dumps(c) for c in cookies)}}}
local due = {{{due_lua}}}
local answered = {{}}
cards = nil  -- "index:count,..." of the cards each learner of this thread answered
local steps = {{{steps_lua}}}
local statuses = {{{", ".join(json.dumps(s) for s in STATUSES)}}}
local last = {{{", ".join(map(str, last)) or "0"}}}
local threads = {{}}
-- setup() runs once per thread, before it starts: number the threads.
function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end
local share = math.max(1, math.floor(#cookies / {WRK_THREADS}))
local n = 0
local verified = false
posted = nil  -- "index:status,..." for each learner this thread changed, read by done()
local changed = {{}}
request = function()
  if thread_number == 0 and not verified then
    -- wrk calls this once to check the script and never sends what it returns.
    verified = true
    return wrk.format("GET", "/healthz")
  end
  local learner = n % share
  local visit = math.floor(n / share) + learner
  n = n + 1
  local step = steps[visit % #steps + 1]
  local headers = {{}}
  local cookie = cookies[(thread_number + learner * {WRK_THREADS}) % #cookies + 1]
  if cookie ~= "" then headers["Cookie"] = cookie end
  if step.body == "status" then
{status_headers}    local i = (thread_number + learner * {WRK_THREADS}) % #cookies + 1
    local status = (last[i] == 1) and 2 or 1
    last[i] = status
    changed[i] = status
    local parts = {{}}
    for index, value in pairs(changed) do parts[#parts + 1] = index .. ":" .. value end
    posted = table.concat(parts, ",")
    return wrk.format("POST", step.path, headers, "status=" .. statuses[status])
  elseif step.body == "card" then
{note_headers}    local i = (thread_number + learner * {WRK_THREADS}) % #cookies + 1
    answered[i] = (answered[i] or 0) + 1
    local parts = {{}}
    for index, value in pairs(answered) do parts[#parts + 1] = index .. ":" .. value end
    cards = table.concat(parts, ",")
    local mine = due[i]
    return wrk.format("POST", step.path, headers,
                      {card} .. mine[math.min(answered[i], #mine)])
  elseif step.body == "note" then
{note_headers}    return wrk.format("POST", step.path, headers, {note} .. thread_number .. "-" .. n)
  end
  return wrk.format(step.method, step.path, headers)
end
function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local p = thread:get("posted")
    if p then io.write("posted ", p, "\\n") end
    local c = thread:get("cards")
    if c then io.write("cards ", c, "\\n") end
  end
end
"""


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


def run_wrk(port, steps, sessions, csrf, tag, last_status, concurrency, duration):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(wrk_script(steps, sessions, csrf, tag, last_status))
    try:
        result = subprocess.run(
            ["wrk", f"-t{WRK_THREADS}", f"-c{concurrency}", f"-d{duration}s", "--latency",
             "--timeout", "10s", "-s", script.name, f"http://127.0.0.1:{port}/"],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        )
    finally:
        os.unlink(script.name)
    for line in re.findall(r"^posted (\S+)$", result.stdout, re.M):
        for pair in line.split(","):
            index, status = map(int, pair.split(":"))
            last_status[sessions[index - 1]] = STATUSES[status - 1]
    for line in re.findall(r"^cards (\S+)$", result.stdout, re.M):
        for pair in line.split(","):
            index, count = map(int, pair.split(":"))
            for _ in range(count):
                next_card(sessions[index - 1])
    return parse_wrk(result.stdout, concurrency)


def run_python_load(port, steps, sessions, csrf, tag, last_status, concurrency, duration):
    """A threaded load generator for machines without wrk (slower: it measures less).

    The same walk as wrk_script(): each thread has learners of its own and takes them in
    turn, each learner one step further on each turn.
    """
    timings, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + duration
    mine = max(1, len(sessions) // concurrency)

    def worker(n):
        k = 0
        while time.monotonic() < deadline:
            learner = k % mine
            visit = k // mine + learner
            k += 1
            step = steps[visit % len(steps)]
            headers, body = {}, None
            if sessions:
                key = sessions[(n + learner * concurrency) % len(sessions)]
                headers["Cookie"] = f"{SESSION_COOKIE}={key}; {CSRF_COOKIE}={csrf}"
            if step.method == "POST":
                headers.update(post_headers(step.body, csrf))
                status = None
                if step.body == "status":
                    status = last_status[key] = next_status(last_status.get(key))
                body = post_body(step.body, csrf, status, f"{tag}{n}-{k}", key)
            start = time.perf_counter()
            try:
                status = fetch(port, step.method, step.path, headers, body)[0]
            except (OSError, http.client.HTTPException):
                status = 0
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                if not 200 <= status < 400:
                    errors[0] += 1

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


def check_endpoint(port, endpoint, session, csrf):
    """One request as the load makes it (a status change: done); stop when it does not
    answer as a working page."""
    headers = {}
    if endpoint.who == "signed-in":
        headers["Cookie"] = f"{SESSION_COOKIE}={session}; {CSRF_COOKIE}={csrf}"
    body = None
    if endpoint.method == "POST":
        headers.update(post_headers(endpoint.body, csrf))
        body = post_body(endpoint.body, csrf, "done", "check", session)
    status, location = fetch(port, endpoint.method, endpoint.path, headers, body)
    # A plain form post answers with a redirect; anything sent to the log-in page means the
    # session did not work, which wrk would count as a success.
    redirected = (300 <= status < 400 and endpoint.body in ("note", "card")
                  and "login" not in location)
    if status != 200 and not redirected:
        where = f" to {location}" if location else ""
        raise SystemExit(
            f"{endpoint.label}: {endpoint.method} {endpoint.path} answered {status}{where}"
        )


# --- Report -------------------------------------------------------------------------------


def queries_of(workload, queries):
    """An endpoint's queries per request; a mix's per walk through its steps."""
    counts = [queries.get(step.label) for step in workload.steps]
    if None in counts:
        return "?"
    if len(counts) == 1:
        return str(counts[0])
    return f"{sum(counts)} per {len(counts)}"


def table(workloads, results, concurrencies, queries):
    lines = [
        "| endpoint | queries | " + " | ".join(
            f"c={c} req/s | c={c} p50 ms | c={c} p99 ms | c={c} errors | c={c} ratio"
            for c in concurrencies
        ) + " |",
        "|---" * (2 + 5 * len(concurrencies)) + "|",
    ]
    for w in workloads:
        if w.label not in results:
            continue
        cells = [w.label, queries_of(w, queries)]
        for c in concurrencies:
            r = results[w.label][c]
            ratio = share(r, results[w.baseline][c]) if w.baseline in results else "—"
            cells += [f"{r['rps']:.0f}", ms(r["p50"]), ms(r["p99"]), str(r["errors"]), ratio]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def p99_concurrency(concurrencies):
    return P99_AT if P99_AT in concurrencies else min(concurrencies)


def verdicts(workloads, results, concurrencies):
    """One line per endpoint and mix with a baseline: each target, met or missed by how much.

    Returns the lines and how many of them meet every target.
    """
    at = p99_concurrency(concurrencies)
    lines, met_all = [], 0
    for w in workloads:
        if w.label not in results or w.baseline not in results:
            continue
        parts, met = [], True
        ratios = {
            c: results[w.label][c]["rps"] / max(results[w.baseline][c]["rps"], 1e-9)
            for c in concurrencies
        }
        shown = ", ".join(f"{ratios[c]:.0%} at c={c}" for c in concurrencies)
        of = "of the " + w.baseline.removeprefix("baseline: ")
        if w.target is None:
            parts.append(f"{shown} {of} (no target set)")
        else:
            worst = min(ratios.values())
            gap = (worst - w.target) * 100
            ok = worst >= w.target
            met &= ok
            how = (f"met with {gap:.0f} points to spare" if ok
                   else f"missed by {-gap:.0f} points")
            parts.append(f"{shown} {of} (target {w.target:.0%}): {how}")
        p99 = results[w.label][at]["p99"]
        if p99 is None:
            met = False
            parts.append(f"p99 at c={at}: no request finished, missed")
        elif p99 < P99_LIMIT_MS:
            parts.append(f"p99 {p99:.1f} ms at c={at} (target < {P99_LIMIT_MS} ms): "
                         f"met with {P99_LIMIT_MS - p99:.1f} ms to spare")
        else:
            met = False
            parts.append(f"p99 {p99:.1f} ms at c={at} (target < {P99_LIMIT_MS} ms): "
                         f"missed by {p99 - P99_LIMIT_MS:.1f} ms")
        errors = sum(results[w.label][c]["errors"] for c in concurrencies)
        if errors:
            met = False
            parts.append(f"{errors:.0f} errors (target none): missed")
        else:
            parts.append("no errors")
        met_all += met
        lines.append(f"- **{w.label}: {'met' if met else 'missed'}.** " + "; ".join(parts) + ".")
    return lines, met_all


def record(args, results, queries):
    """The run's figures as one JSON comment, for a --scale run to compare with."""
    data = {
        "scale": args.scale,
        "date": f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M}",
        "queries": queries,
        "results": {label: {str(c): r for c, r in by_c.items()} for label, by_c in results.items()},
    }
    return f"{DATA_MARK}{json.dumps(data, separators=(',', ':'))} -->"


def recorded_run():
    """The figures the last 1x run recorded in docs/performance.md, or None."""
    try:
        text = DOC.read_text()
    except OSError:
        return None
    match = re.search(re.escape(DATA_MARK) + r"(\{.*?\}) -->", text)
    if not match:
        return None
    data = json.loads(match.group(1))
    data["results"] = {
        label: {int(c): r for c, r in by_c.items()} for label, by_c in data["results"].items()
    }
    return data


def growth(workloads, results, concurrencies, queries, scale, before):
    """The --scale run against the recorded 1x run: the same query counts, p50 within the limit."""
    if before is None:
        return ["No 1x run of this harness is recorded in docs/performance.md (its bench:data "
                "comment), so there is nothing to compare with: run `make bench` first."], 0, 0
    common = [c for c in concurrencies if all(c in r for r in before["results"].values())]
    header = f"| endpoint | queries 1x → {scale}x | " + " | ".join(
        f"c={c} p50 ms 1x → {scale}x" for c in common
    ) + " | verdict |"
    lines = [f"Compared with the 1x run of {before['date']} UTC recorded in docs/performance.md.",
             "", header, "|---" * (3 + len(common)) + "|"]
    checked = met_all = 0
    for w in workloads:
        if w.label not in results or w.label not in before["results"]:
            continue
        now_q, then_q = queries_of(w, queries), queries_of(w, before["queries"])
        misses, cells = [], []
        if now_q != then_q:
            misses.append(f"queries {then_q} → {now_q}")
        for c in common:
            old, new = before["results"][w.label][c]["p50"], results[w.label][c]["p50"]
            if old is None or new is None:
                cells.append(f"{ms(old)} → {ms(new)}")
                misses.append(f"no p50 at c={c}")
                continue
            factor = new / old
            cells.append(f"{old:.1f} → {new:.1f} ({factor:.2f}x)")
            if factor > GROWTH_P50_LIMIT:
                misses.append(f"p50 {factor:.2f}x at c={c}, "
                              f"{factor - GROWTH_P50_LIMIT:.2f} over {GROWTH_P50_LIMIT}x")
        if w.baseline is not None:  # baselines are shown, but have no target to meet
            checked += 1
            met_all += not misses
            verdict = "missed: " + "; ".join(misses) if misses else "met"
        else:
            verdict = "—"
        lines.append(f"| {w.label} | {then_q} → {now_q} | " + " | ".join(cells)
                     + f" | {verdict} |")
    # The baselines do not grow with the data: whatever they moved is the machine's drift
    # between the two runs, and weighs on every p50 above as well.
    if PAGE in results and PAGE in before["results"]:
        moved = [
            f"{results[PAGE][c]['p50'] / before['results'][PAGE][c]['p50']:.2f}x at c={c}"
            for c in common
            if results[PAGE][c]["p50"] and before["results"][PAGE][c]["p50"]
        ]
        lines += ["", f"Drift: the 30-row page baseline's p50 moved {', '.join(moved)} between "
                  "the two runs; it does not depend on the data, so that much is the machine."]
    return lines, met_all, checked


def command_line(args, parser):
    """The command this run was, with the options that differ from the defaults."""
    words = [".venv/bin/python benchmarks/load.py"]
    for name in ("duration", "scale", "users", "resources", "roadmaps", "workers",
                 "concurrency"):
        value = getattr(args, name)
        if value != parser.get_default(name):
            shown = " ".join(map(str, value)) if isinstance(value, list) else value
            words.append(f"--{name} {shown}")
    return " ".join(words)


def render_report(args, parser, seeded, results, queries, tool, workloads):
    """The generated report: a section of docs/performance.md (1x) or a whole page (--scale)."""
    import django

    cpu = "unknown CPU"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    whole_page = args.scale != 1
    h2, h3 = ("##", "###") if not whole_page else ("#", "##")
    at = p99_concurrency(args.concurrency)
    singles = [w for w in workloads if len(w.steps) == 1]
    mixes = [w for w in workloads if len(w.steps) > 1]
    lines, met = verdicts(workloads, results, args.concurrency)
    judged = len(lines)
    if whole_page:
        title = f"{h2} Performance at {args.scale}x data"
        where = (f"The last run of `{command_line(args, parser)}`\n"
                 f"({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC), written whole by "
                 "it. Rerun it to refresh this page.")
    else:
        title = f"{h2} The last `make bench` run"
        where = (f"Written by the last run of `{command_line(args, parser)}`\n"
                 f"({datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC) between the "
                 "`bench:start` and `bench:end` comments;\nthe rest of this page is "
                 "hand-written and left alone. `--scale 10` runs the same with ten times\n"
                 "the data, writes docs/performance-10x.md and compares it with this run.")
    mix = next((m for m in MIXES if m.baseline), None)
    cards_each = len(seeded.get("due_cards", {}).get(seeded["sessions"][0], []))
    mix_steps = " → ".join(mix.steps) if mix else ""
    sections = [
        f"""{title}

{where}

{h3} How it is measured

- gunicorn, {args.workers} sync workers, production-style settings (`DEBUG=0`, `HTTPS=0`,
  hashed static files through whitenoise, persistent database connections), on 127.0.0.1.
- PostgreSQL: a separate `{args.db_name}` database on the same server as the site's, dropped
  after.
- Data: {seeded['users']} users ({seeded['roadmaps']} with an assessment and a roadmap),
  {seeded['resources']} resources (the real catalogue plus generated ones).
- Load: {tool}, {args.duration} s per run at concurrency
  {' and '.join(map(str, args.concurrency))}. Before each endpoint's runs, a 1 s run at
  concurrency 5 on the same requests, whose figures are thrown away, makes every gunicorn
  worker open its database connection and load its templates; baselines get the same.
  Nothing else is prepared: no page is viewed in advance. Signed-in runs rotate through
  {len(seeded['sessions'])} learners' sessions, each of wrk's threads with learners of its
  own, so no two requests in flight are for the same learner. The load generator shares
  the machine's {os.cpu_count()} cores ({cpu}) with gunicorn and PostgreSQL.
- Python {platform.python_version()}, Django {django.get_version()}.
- The status change is an htmx POST of "in progress" or "done", whichever the learner does
  not have (the harness remembers each learner's last status from run to run, the mix's
  included), so every request is a real change.
- The note save is a plain form POST of the learner's note on the resource page's resource
  (`/notes/<slug>/`, field `text`, the CSRF token in the form), with a new text each time;
  its answer, a redirect, is not followed.
- The card answer is a plain form POST of "Good" (`/cards/review/`, fields `card` and
  `rating`, the CSRF token in the form) on the learner's next card due today: each session
  learner has every recall card ({cards_each} of them) due, and each answer takes the next
  one, so every request rates a card; its answer, a redirect, is not followed.
- The learner-session mix: each learner walks
  {mix_steps},
  and again, with their own data (each learner starts at a step of their own, so any stretch of
  requests has the mix's proportions). The baseline session mix makes the same walk on the
  baselines: the 30-row page for each GET and the one-row write for each POST (5 and 2 in 7).

Baselines, served by the same gunicorn and settings (benchmarks/baseline_views.py):
**ok** is a bare view returning `ok`; **30-row page** renders 30 rows from one query in
the site's layout for a signed-in learner; **one-row write** is a signed-in POST doing one
`INSERT … ON CONFLICT DO UPDATE`. Baselines run first and again last; the tables show
their mean, so drift from other work on the machine weighs on both sides. *Ratio* is
requests/s over the baseline's. Targets: the roadmap, the dashboard, the catalogue's results
(and the home page) at least 60 % of the 30-row page; the resource page (anonymous and
signed in) 80 %; the status
change and the card answer 50 % of the one-row write;
p99 under {P99_LIMIT_MS} ms at concurrency {at} and no
errors everywhere. The mix has no ratio target: it is reported beside the baseline mix.
*Queries* is the number of SQL queries one request makes (a mix: per walk).

{h3} Results

{table(singles, results, args.concurrency, queries)}

{h3} Learner-session mix

{table(mixes, results, args.concurrency, queries)}

{h3} Targets

{met} of {judged} meet every target.

""" + "\n".join(lines)
    ]
    if whole_page:
        growth_lines, grown, checked = growth(
            workloads, results, args.concurrency, queries, args.scale, recorded_run()
        )
        sections.append(
            f"{h3} Growth\n\nTarget: the same query counts as the 1x run and every p50 within "
            f"{GROWTH_P50_LIMIT}x of it.\n{grown} of {checked} meet it.\n\n"
            + "\n".join(growth_lines)
        )
    else:
        sections.append(record(args, results, queries))
    return "\n\n".join(sections) + "\n"


def write_report(report, scale):
    """A 1x run replaces the generated section of docs/performance.md (adding it at the end
    when the markers are missing); a --scale run writes docs/performance-<scale>x.md whole."""
    if scale != 1:
        doc = DOC.with_name(f"performance-{scale}x.md")
        doc.parent.mkdir(exist_ok=True)
        doc.write_text(report)
        return doc
    text = DOC.read_text() if DOC.exists() else ""
    section = f"{SECTION_START}\n{report.strip()}\n{SECTION_END}"
    # The markers count only as lines of their own: the prose may mention them.
    start = re.search(rf"^{re.escape(SECTION_START)}$", text, re.M)
    end = start and re.search(rf"^{re.escape(SECTION_END)}$", text[start.end():], re.M)
    if start and end:
        text = text[:start.start()] + section + text[start.end() + end.end():]
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section + "\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text)
    return DOC


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


def database_name(value):
    # It goes into CREATE and DROP DATABASE as a quoted identifier: letters, digits and _.
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise argparse.ArgumentTypeError("use lower-case letters, digits and _ (at most 63)")
    return value


def workloads_for(endpoints):
    """Every endpoint on its own, then the mixes whose endpoints all exist."""
    by_label = {e.label: e for e in endpoints}
    workloads = [Workload(e.label, [e], e.who, e.baseline, e.target) for e in endpoints]
    for mix in MIXES:
        if all(step in by_label for step in mix.steps):
            steps = [by_label[step] for step in mix.steps]
            who = "signed-in" if any(s.who == "signed-in" for s in steps) else "anonymous"
            workloads.append(Workload(mix.label, steps, who, mix.baseline, mix.target))
    return workloads


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per run (5-10)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--scale", type=int, default=1, help="multiply users and resources")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--roadmaps", type=int, default=1000, help="learners with a roadmap")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--db-name", type=database_name, default=BENCH_DB,
        help=f"the throw-away database to create and drop (default {BENCH_DB}); pick another "
        "when two runs share one PostgreSQL server",
    )
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--no-doc", action="store_true", help="write no docs/performance*.md")
    parser.add_argument(
        "--only", nargs="+", metavar="LABEL",
        help="run only these endpoints (and the baselines), e.g. --only roadmap; implies --no-doc",
    )
    args = parser.parse_args()
    users, resources = args.users * args.scale, args.resources * args.scale
    roadmaps = args.roadmaps * args.scale

    base_url = server_url()
    bench_url = with_database(base_url, args.db_name)
    env = child_env(bench_url)
    use_wrk = shutil.which("wrk") is not None
    generator = run_wrk if use_wrk else run_python_load

    admin_sql(base_url, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
    admin_sql(base_url, f'CREATE DATABASE "{args.db_name}"')
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
        DUE_CARDS.update(seeded.get("due_cards", {}))
        sessions, csrf = seeded["sessions"], "".join(
            secrets.choice(string.ascii_letters + string.digits) for _ in range(32)
        )
        endpoints = []
        for endpoint in ENDPOINTS:
            path = endpoint.path.format(**seeded["paths"])  # "None": a route that is missing
            if path and path != "None":
                endpoints.append(endpoint._replace(path=path))
            else:
                print(f"{endpoint.label}: no such route in this version of the site, left out")
        workloads = workloads_for(endpoints)
        if args.only:
            workloads = [w for w in workloads if w.baseline is None or w.label in args.only]
            args.no_doc = True

        queries = json.loads(
            subprocess.run(
                [PYTHON, __file__, "--count-queries", sessions[0],
                 json.dumps([[e.label, e.method, e.path, e.who, e.body] for e in endpoints]),
                 json.dumps([next_card(sessions[0]), next_card(sessions[0])])],
                cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True,
            ).stdout.strip().splitlines()[-1]
        )

        print("Queries per request: " + ", ".join(f"{k} {v}" for k, v in queries.items()))

        port = free_port()
        server = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "mathpath.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "warning"],
            cwd=BASE_DIR, env=env,
        )
        wait_until_up(port)
        # Each learner's last status, per status path: every status change the runs post
        # is a real change. The query count and the check above leave the first one done.
        last_status = {}
        for endpoint in endpoints:
            check_endpoint(port, endpoint, sessions[0], csrf)
            if endpoint.body == "status":
                last_status[endpoint.path] = {sessions[0]: "done"}

        tool = "wrk" if use_wrk else "a Python threaded load generator (wrk not found)"
        print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}; {tool}, "
              f"{args.duration} s per run")
        print(f"{'endpoint':<30} {'c':>3} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'errors':>7} {'ratio':>6}")
        results = {}
        # Baselines are measured first and again last, and their mean is used: other work
        # on the machine drifts, and the ratios should not depend on when it happened.
        baselines = [w for w in workloads if w.baseline is None]
        others = [w for w in workloads if w.baseline is not None]
        tag = secrets.token_hex(3)  # this run's notes differ from an earlier run's
        for number, w in enumerate([*baselines, *others, *baselines]):
            again = w.label in results
            keys = sessions if w.who == "signed-in" else []
            wait_until_idle(port)
            paths = {s.path for s in w.steps if s.body == "status"}
            assert len(paths) <= 1, f"{w.label}: one status path at most"
            last = last_status[paths.pop()] if paths else {}
            # Warm every worker (connections, templates); its figures are thrown away.
            generator(port, w.steps, keys, csrf, f"{tag}-{number}w-", last, 5, 1)
            for c in args.concurrency:
                r = generator(port, w.steps, keys, csrf, f"{tag}-{number}c{c}-", last, c,
                              args.duration)
                if again:
                    r = merge(results[w.label][c], r)
                results.setdefault(w.label, {})[c] = r
                ratio = share(r, results[w.baseline][c]) if w.baseline in results else ""
                shown = f"{w.label} (mean)" if again else w.label
                print(f"{shown:<30} {c:>3} {r['rps']:8.0f} {ms(r['p50']):>8} {ms(r['p99']):>8} "
                      f"{r['errors']:>7} {ratio:>6}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep_db:
            admin_sql(base_url, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')

    report = render_report(args, parser, seeded, results, queries, tool, workloads)
    lines, met = verdicts(workloads, results, args.concurrency)
    print(f"\nTargets: {met} of {len(lines)} met.")
    print("\n".join(lines))
    if args.scale != 1:
        growth_lines, grown, checked = growth(
            workloads, results, args.concurrency, queries, args.scale, recorded_run()
        )
        print(f"\nGrowth ({args.scale}x against the recorded 1x run): {grown} of {checked} met.")
        print("\n".join(growth_lines))
    if not args.no_doc:
        doc = write_report(report, args.scale)
        print(f"Wrote {doc.relative_to(BASE_DIR)}.")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--seed":
        seed(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--count-queries":
        count_queries(json.loads(sys.argv[3]), sys.argv[2], json.loads(sys.argv[4]))
    else:
        main()
