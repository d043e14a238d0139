"""Requests that arrive at the same moment, for the concurrency tests.

Those tests commit for real (transaction=True) and run each request in its own thread with
its own database connection, so PostgreSQL's locks and constraints are what is tested.
"""

import threading

from django.db import connections
from django.test import Client


def logged_in_clients(user, count, **options):
    """`count` test clients signed in as `user`, made before the threads start."""
    clients = []
    for _ in range(count):
        client = Client(**options)
        client.force_login(user)
        clients.append(client)
    return clients


def run_together(count, work):
    """Run `work(n)` in `count` threads released at once; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(n):
        try:
            barrier.wait(timeout=30)
            results[n] = work(n)
        except Exception as error:  # a thread's failure must fail the test, not vanish
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running"
    return results, errors
