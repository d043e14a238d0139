"""Double submits under gunicorn: many identical requests at once store one result, no 5xx.

    .venv/bin/python scripts/double_submit.py [--status 200] [--assessments 200] [--signups 50]

Starts a throw-away PostgreSQL cluster and gunicorn on 127.0.0.1 the way
scripts/db_restart_under_load.py does (the site's own database is never touched), seeds one
learner with a roadmap and a session, then fires three bursts, each released at once:

- --status identical status changes ("done") for that learner and one resource:
  exactly one progress row and one "done" event must be stored;
- --assessments identical questionnaire submissions carrying one submission key:
  exactly one assessment must be stored, and the learner still has one roadmap;
- --signups sign-ups with one email address, each from its own loopback address
  (127.0.0.x, so the per-IP sign-up limit is not what stops them): exactly one user.

Prints, per burst, the rows stored and the answers by class (2xx, 3xx, 4xx, 5xx, none)
and by status code;
exits 0 when every burst stored exactly one row and no answer was a 5xx or missing.
"""

import argparse
import collections
import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from db_restart_under_load import (
    BASE_DIR,
    PYTHON,
    free_port,
    start_cluster,
    tear_down,
)

from benchmarks.load import CSRF_COOKIE, SESSION_COOKIE, child_env, wait_until_up

CSRF = "doublesubmitcsrftoken0123456789a"  # any 32 letters and digits will do
EMAIL = "one-address@double.example"
PASSWORD = "a long and unusual passphrase 2026"  # noqa: S105 - a throw-away account
REQUEST_TIMEOUT = 60
ANSWERS = {
    "goal": "general-ml", "linear_algebra": "2", "calculus": "3",
    "probability_statistics": "4", "programming": "3", "budget": "any",
    "styles": "visual", "weekly_hours": "6",
}


def post(port, path, fields, cookie="", source="127.0.0.1"):
    """POST a form from `source` (a loopback address); the status, or 0 for no answer."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=REQUEST_TIMEOUT, source_address=(source, 0)
    )
    cookies = f"{CSRF_COOKIE}={CSRF}" + (f"; {SESSION_COOKIE}={cookie}" if cookie else "")
    try:
        conn.request("POST", path, body=urllib.parse.urlencode(fields, doseq=True), headers={
            "Cookie": cookies, "X-CSRFToken": CSRF,
            "Content-Type": "application/x-www-form-urlencoded",
        })
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


def burst(count, send):
    """Call `send(n)` from `count` threads released together; their statuses and seconds."""
    barrier = threading.Barrier(count)
    codes = []
    lock = threading.Lock()

    def run(n):
        barrier.wait(timeout=30)
        code = send(n)
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT + 30)
    return codes + [0] * (count - len(codes)), time.monotonic() - started


def classes(codes):
    counted = collections.Counter("none" if not c else f"{c // 100}xx" for c in codes)
    return {name: counted.get(name, 0) for name in ("2xx", "3xx", "4xx", "5xx", "none")}


def count_rows(env, session, slug):
    """What the database holds after the bursts, counted by a child process."""
    code = f"""
import json, django
django.setup()
from django.contrib.sessions.models import Session
from accounts.models import User
from assessment.models import Assessment, Roadmap
from progress.models import Progress, ProgressEvent
user_id = int(Session.objects.get(session_key={session!r}).get_decoded()["_auth_user_id"])
print(json.dumps({{
    "progress rows": Progress.objects.filter(user_id=user_id, resource__slug={slug!r}).count(),
    "done events": ProgressEvent.objects.filter(
        user_id=user_id, resource__slug={slug!r}, status="done").count(),
    "assessments": Assessment.objects.filter(user_id=user_id).count(),
    "roadmaps": Roadmap.objects.filter(user_id=user_id).count(),
    "users": User.objects.filter(email__iexact={EMAIL!r}).count(),
}}))
"""
    result = subprocess.run([PYTHON, "-c", code], cwd=BASE_DIR, env=env, check=True,
                            stdout=subprocess.PIPE, text=True, timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--status", type=int, default=200, help="identical status changes")
    parser.add_argument("--assessments", type=int, default=200, help="identical submissions")
    parser.add_argument("--signups", type=int, default=50, help="sign-ups with one email")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if args.signups > 250:
        parser.error("--signups: at most 250 (one loopback address each)")

    workdir = Path(tempfile.mkdtemp(prefix="mp-double-"))
    server = gunicorn = None
    try:
        server, url = start_cluster(workdir / "pg")
        # Sign-up sends a confirmation email; there is no mail server on this machine.
        env = {**child_env(url), "EMAIL_BACKEND": "console"}
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run([PYTHON, "manage.py", *command, "-v", "0"], cwd=BASE_DIR, env=env,
                           check=True, timeout=300)
        seeded = json.loads(subprocess.run(
            [PYTHON, str(BASE_DIR / "benchmarks" / "load.py"), "--seed", "1", "0", "1"],
            cwd=BASE_DIR, env=env, check=True, stdout=subprocess.PIPE, text=True, timeout=300,
        ).stdout.strip().splitlines()[-1])
        session = seeded["sessions"][0]
        status_path = seeded["paths"]["status_change"]
        slug = status_path.strip("/").split("/")[1]

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "mathpath.wsgi", "--bind",
             f"127.0.0.1:{port}", "--workers", str(args.workers), "--log-level", "critical",
             "--timeout", "60"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until_up(port)
        before = count_rows(env, session, slug)

        results = {}
        results["status"] = burst(
            args.status, lambda n: post(port, status_path, {"status": "done"}, session)
        )
        key = str(uuid.uuid4())
        results["assessment"] = burst(
            args.assessments,
            lambda n: post(port, "/assessment/", {**ANSWERS, "submission_key": key}, session),
        )
        signup = {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        results["signup"] = burst(
            args.signups,
            lambda n: post(port, "/accounts/signup/", signup, source=f"127.0.0.{n + 2}"),
        )
        after = count_rows(env, session, slug)
    finally:
        tear_down(gunicorn, server, workdir)

    stored = {
        "status": (after["progress rows"], f"progress rows (done events: {after['done events']})"),
        "assessment": (after["assessments"] - before["assessments"],
                       f"new assessments (roadmaps: {after['roadmaps']})"),
        "signup": (after["users"], "users with the address"),
    }
    ok = after["done events"] == 1 and after["roadmaps"] == 1
    print(f"gunicorn {args.workers} workers on 127.0.0.1, a throw-away PostgreSQL")
    for name, (codes, seconds) in results.items():
        rows, what = stored[name]
        by_class = classes(codes)
        ok = ok and rows == 1 and by_class["5xx"] == 0 and by_class["none"] == 0
        print(f"{name:<10} {len(codes):>4} requests in {seconds:5.1f} s: "
              + ", ".join(f"{k} {v}" for k, v in by_class.items())
              + " (" + ", ".join(f"{code or 'none'}: {n}"
                                for code, n in sorted(collections.Counter(codes).items())) + ")"
              + f"; stored: {rows} {what}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
