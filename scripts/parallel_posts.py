"""Every POST route of a signed-in learner, 30 requests at once each, under gunicorn: no 5xx.

    DATABASE_URL=postgresql://… .venv/bin/python scripts/parallel_posts.py [--times 30]

DATABASE_URL must name a database of its own, migrated and with the catalogue loaded
(`manage.py migrate && manage.py loadcatalog`): the script adds a throw-away learner to it
(parallel-…@posts.example) with a roadmap, a finished resource, an old review, a card due today, an
exercise and a focus. It starts gunicorn on 127.0.0.1 (DEBUG=1, HTTPS=0, so no collectstatic
is needed), then for each route in ROUTES releases --times requests together, half plain and
half htmx, and prints the answers by status code. It exits 0 when no answer was a 5xx or
missing. Each burst is bounded: --times is at most 100, every request times out after 60 s.

tests/guards/test_parallel_posts.py runs the same bursts against gunicorn on the test
database, so CI covers them; it also fails when a learner's POST route is missing here.
"""

import argparse
import collections
import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CSRF = "parallelpostscsrftoken0123456789"  # any 32 letters and digits will do
REQUEST_TIMEOUT = 60
MAX_TIMES = 100
ANSWERS = {
    "goal": "general-ml", "linear_algebra": "2", "calculus": "3",
    "probability_statistics": "4", "programming": "3", "budget": "any",
    "styles": "visual", "weekly_hours": "6",
}
CALIBRATION_KEYS = [f"{area}{n}" for area in ("la", "calc", "prob", "prog") for n in (1, 2, 3, 4)]

# The site's own POST routes for a signed-in learner, in the order they are fired, with
# the body each one sends: the arguments in braces come from seed_learner(). Fired in this
# order every route has something to act on (the review is due, the focus is open, …).
ROUTES = {
    "assessment:check": ({}, dict.fromkeys(CALIBRATION_KEYS, "0")),
    "assessment:add": ({}, {"resource": "{spare}"}),
    "progress:set_status": ({"slug": "{slug}"}, {"status": "skipped", "reason": "not now"}),
    "assessment:skip": ({"pk": "{entry}"}, {"reason": "I know this"}),
    "assessment:restore": ({"pk": "{entry}"}, {}),
    "progress:review": ({"pk": "{review}"}, {"rating": "good"}),
    "progress:exercise_done": ({"pk": "{exercise}"}, {}),
    "progress:dismiss_exercise": ({"pk": "{exercise}"}, {}),
    "progress:add_concept": ({"slug": "{concept}"}, {}),
    "progress:card_session": ({}, {"card": "{card}", "rating": "3"}),
    "progress:focus": ({}, {"resource": "{slug}"}),
    "progress:focus_answer": ({}, {"outcome": "extended"}),
    "progress:note": ({"slug": "{slug}"}, {"text": "**same** note from every tab"}),
    "progress:log_time": ({}, {"minutes": "30", "resource": "{slug}", "note": "from every tab"}),
    "assessment:choose": ({"pk": "{entry}"}, {}),
    "assessment:rebuild": ({}, {}),
    "assessment:keep_going": ({}, {}),
    "assessment:lower_plan": ({}, {"lowered": "1"}),
    "assessment:unsubscribe": ({"token": "{unsubscribe}"}, {}),
    "progress:calendar_new": ({}, {}),
    "progress:calendar_revoke": ({}, {}),
    "accounts:profile": ({}, {"goal": "general-ml", "weekly_hours": "5", "budget": "any",
                              "time_zone": "Europe/Paris"}),
    # A wrong password: the real deletion is one request, tested in tests/accounts/.
    "accounts:delete": ({}, {"password": "not the password"}),
    # Last: it rebuilds the roadmap, and with it the entries the routes above act on.
    "assessment:take": ({}, {**ANSWERS, "submission_key": "{submission_key}"}),
}

# Routes in the same namespaces that take no POST (or only an anonymous visitor's).
NOT_POSTED = {
    "assessment:preview": "shows a visitor's answers from the session; GET only",
    "assessment:history": "GET only",
    "assessment:roadmap": "GET only",
    "progress:progress": "GET only",
    "progress:calendar_feed": "GET only, for calendar apps",
    "progress:anki_export": "GET only, a download",
    "accounts:export": "GET only",
    "accounts:export_about": "GET only",
}


def seed_learner():
    """A learner with something for every route to act on; the fill-ins for ROUTES.

    Needs Django set up and a catalogue in the database.
    """
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from accounts.models import User
    from assessment.models import take_assessment
    from assessment.reminders import EmailKind, unsubscribe_token
    from catalog.models import Concept, Resource
    from progress.models import Focus, LearnerCard, Progress, Review, Status

    user = User.objects.create_user(
        email=f"parallel-{secrets.token_hex(6)}@posts.example", password=None
    )
    answers = {**ANSWERS, "styles": ["visual"], "weekly_hours": 6}
    answers.update((name, int(answers[name])) for name in
                   ("linear_algebra", "calculus", "probability_statistics", "programming"))
    take_assessment(user, answers)
    entries = list(user.roadmap_entries.for_roadmap_page().filter(is_optional=False))
    entry, done = entries[0], entries[1]
    Progress.objects.change(user, done.resource, Status.DONE)  # cards and an exercise
    # A review of the whole resource from before reviews were of cards, still pending.
    review = Review.objects.create(user=user, resource=done.resource,
                                   due=timezone.localdate(), interval_days=1)
    Focus.objects.start(user, entry.resource, timezone.localdate())
    # A concept with cards (the catalogue's first), one of its cards due today.
    concept = Concept.objects.published().filter(cards__isnull=False).order_by("pk").first()
    card = None
    if concept:
        LearnerCard.objects.add_concept(user, concept, timezone.localdate())
        card = user.learner_cards.order_by("pk").first()
        LearnerCard.objects.filter(pk=card.pk).update(due=timezone.localdate())
    on_roadmap = user.roadmap_entries.values_list("resource_id", flat=True)
    spare = Resource.objects.published().exclude(pk__in=on_roadmap).order_by("pk").first()

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return {
        "session": store.session_key,
        "slug": entry.resource.slug,
        "entry": str(entry.pk),
        "review": str(review.pk),
        "exercise": str(user.exercise_suggestions.get().pk),
        "spare": spare.slug if spare else entry.resource.slug,
        "concept": concept.slug if concept else "no-concept",
        "card": str(card.pk) if card else "0",
        "submission_key": str(uuid.uuid4()),
        "unsubscribe": unsubscribe_token(user, EmailKind.DAILY),
    }


def requests_for(learner):
    """(route name, path, body) for every route in ROUTES, filled in for `learner`."""
    from django.urls import reverse

    def fill(values):
        return {name: value.format(**learner) for name, value in values.items()}

    return [
        (name, reverse(name, kwargs=fill(kwargs) or None), fill(body))
        for name, (kwargs, body) in ROUTES.items()
    ]


def post(port, path, fields, session, htmx=False):
    """POST a form as the learner; the status code, or 0 when no answer came."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {
        "Cookie": f"csrftoken={CSRF}; sessionid={session}",
        "X-CSRFToken": CSRF,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    if htmx:
        headers["HX-Request"] = "true"
    try:
        conn.request("POST", path, body=urllib.parse.urlencode(fields), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def burst(times, send):
    """Call `send(n)` from `times` threads released together; their answers."""
    barrier = threading.Barrier(times)
    codes = [0] * times

    def run(n):
        barrier.wait(timeout=30)
        codes[n] = send(n)

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 30)
    return codes


def fire_all(port, learner, times):
    """Each route's burst in turn; {route name: Counter of status codes}."""
    if not 1 <= times <= MAX_TIMES:
        raise ValueError(f"times must be 1 to {MAX_TIMES}")
    answers = {}
    for name, path, body in requests_for(learner):
        codes = burst(
            times, lambda n, path=path, body=body: post(
                port, path, body, learner["session"], htmx=n % 2 == 1
            )
        )
        answers[name] = collections.Counter(codes)
    return answers


def failures(answers):
    """The routes that answered a 5xx or not at all, with those answers."""
    return {
        name: {code: n for code, n in codes.items() if code == 0 or code >= 500}
        for name, codes in answers.items()
        if any(code == 0 or code >= 500 for code in codes)
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url, secret_key, workers):
    """gunicorn on a free loopback port against `database_url`; (process, port).

    `secret_key` must be the seeding process's: the session's hash is keyed on it.
    """
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "HTTPS": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "ADMIN_REQUIRE_MFA": "0",
        "DJANGO_SETTINGS_MODULE": "mathpath.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "mathpath.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "critical",
         "--timeout", str(REQUEST_TIMEOUT), "--no-control-socket"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    stop(process)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def report(answers):
    for name, codes in answers.items():
        print(f"{name:<30} " + ", ".join(f"{code or 'none'}: {n}"
                                          for code, n in sorted(codes.items())))
    bad = failures(answers)
    total = sum(sum(codes.values()) for codes in answers.values())
    print(f"{total} requests, {sum(sum(c.values()) for c in bad.values())} 5xx or unanswered")
    print("PASS" if not bad else f"FAIL: {bad}")
    return not bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=30, help=f"requests per route (1-{MAX_TIMES})")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    args = parser.parse_args()
    if not 1 <= args.times <= MAX_TIMES:
        parser.error(f"--times: 1 to {MAX_TIMES}")
    database_url = os.environ.get("DATABASE_URL", "").strip()
    if not database_url:
        parser.error("set DATABASE_URL to a database of its own (migrated, catalogue loaded)")

    sys.path.insert(0, str(BASE_DIR))
    os.environ.update(DJANGO_SETTINGS_MODULE="mathpath.settings", DEBUG="1", HTTPS="0",
                      SECRET_KEY=secrets.token_urlsafe(50))
    import django

    django.setup()
    learner = seed_learner()
    from django.db import connections

    connections.close_all()
    process, port = start_gunicorn(database_url, os.environ["SECRET_KEY"], args.workers)
    try:
        started = time.monotonic()
        answers = fire_all(port, learner, args.times)
        seconds = time.monotonic() - started
    finally:
        stop(process)
    print(f"gunicorn, {args.workers} workers on 127.0.0.1; {args.times} at once per route, "
          f"half htmx; {seconds:.1f} s")
    return 0 if report(answers) else 1


if __name__ == "__main__":
    sys.exit(main())
