"""Catalogue list-page latency with 5,000 resources, served by gunicorn on loopback.

    .venv/bin/python benchmarks/catalog_list.py [--resources 5000] [--requests 300]

Creates a separate database (mathpath_bench) on the configured PostgreSQL server (the
embedded one, or DATABASE_URL's), migrates it, builds the resources with factory-boy,
starts gunicorn (DEBUG=0, hashed static files, as `make serve`) against it, times
sequential requests per scenario and prints p50/p99. The database is dropped at the end,
whatever happens; the development database is never touched.
"""

import argparse
import http.client
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from benchmarks.load import admin_sql, server_url, with_database  # noqa: E402

BENCH_DB = "mathpath_bench"
SCENARIOS = [
    ("no filters", "/catalog/", {}),
    ("domain + level", "/catalog/?domain=linear-algebra&level=beginner", {}),
    ("cost + style + format", "/catalog/?cost=free&style=visual&format=video-series", {}),
    ("search 'eigen'", "/catalog/?q=eigen", {}),
    ("search + domain", "/catalog/?q=gradient+descent&domain=calculus", {}),
    ("page 100", "/catalog/?page=100", {}),
    ("htmx fragment, level", "/catalog/?level=intermediate", {"HX-Request": "true"}),
    ("detail page", "/catalog/{detail_slug}/", {}),
]
TOPICS = [
    "eigenvalues and eigenvectors",
    "matrix multiplication",
    "gradient descent",
    "partial derivatives",
    "Bayes' theorem",
    "probability distributions",
    "graph theory",
    "NumPy arrays",
    "backpropagation",
    "hypothesis testing",
]


def build_catalogue(count):
    """Migrate the benchmark database and fill it with `count` resources."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from catalog.models import Cost, Format, Level, Resource, Style
    from tests.catalog.factories import DomainFactory, ResourceFactory

    call_command("migrate", verbosity=0)
    slugs = [
        "linear-algebra",
        "calculus",
        "probability-statistics",
        "discrete-math",
        "programming-math",
        "deep-learning",
    ]
    domains = [DomainFactory(slug=slug, order=n) for n, slug in enumerate(slugs)]
    rng = random.Random(42)  # the same catalogue on every run
    resources = []
    for n in range(count):
        cost = rng.choice(Cost.values)
        topics = rng.sample(TOPICS, 2)
        resources.append(
            ResourceFactory.build(
                title=f"{topics[0].capitalize()} course {n}",
                provider=rng.choice(["Khan Academy", "MIT", "Brilliant", "Example Press"]),
                level=rng.choice(Level.values),
                format=rng.choice(Format.values),
                cost=cost,
                price_usd=13 if cost in (Cost.PAID_MONTHLY, Cost.PAID_ONCE) else None,
                styles=rng.sample(Style.values, rng.randint(1, 3)),
                summary=(
                    f"A resource about {topics[0]} and {topics[1]}, with worked examples, "
                    "exercises and notes on where the ideas appear in machine learning."
                ),
            )
        )
    Resource.objects.bulk_create(resources, batch_size=1000)
    through = Resource.domains.through
    links = []
    for resource in Resource.objects.only("pk"):
        for domain in rng.sample(domains, rng.randint(1, 2)):
            links.append(through(resource_id=resource.pk, domain_id=domain.pk))
    through.objects.bulk_create(links, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)
    # A resource with prerequisites and dependants, for the detail page.
    first, second, third = Resource.objects.order_by("pk")[:3]
    second.prerequisites.set([first])
    third.prerequisites.set([second])
    connection.close()
    return second.slug


def wait_until_up(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(port, "/healthz", {})
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer on /healthz in time")


def fetch(port, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, body
    finally:
        conn.close()


def measure(port, path, headers, requests):
    for _ in range(10):  # warm up every worker's connection and caches
        fetch(port, path, headers)
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        status, _ = fetch(port, path, headers)
        timings.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    return statistics.median(timings), p99


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    base_url = server_url()
    bench_url = with_database(base_url, BENCH_DB)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mathpath.settings")
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    os.environ.update({k: env[k] for k in ("DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS")})

    admin_sql(base_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
    admin_sql(base_url, f'CREATE DATABASE "{BENCH_DB}"')
    server = None
    try:
        started = time.perf_counter()
        detail_slug = build_catalogue(args.resources)
        print(f"Built {args.resources} resources in {time.perf_counter() - started:.1f} s")
        server = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
                "mathpath.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
        )
        wait_until_up(args.port)
        print(f"gunicorn, {args.workers} sync workers, {args.requests} sequential requests each")
        print(f"{'scenario':<24} {'p50 ms':>8} {'p99 ms':>8}")
        for name, path, headers in SCENARIOS:
            path = path.format(detail_slug=detail_slug)
            p50, p99 = measure(args.port, path, headers, args.requests)
            print(f"{name:<24} {p50:8.1f} {p99:8.1f}")
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        admin_sql(base_url, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        print(f"Dropped the {BENCH_DB} database.")


if __name__ == "__main__":
    main()
