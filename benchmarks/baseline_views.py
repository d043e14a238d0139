"""Baselines: the fastest Django can answer on this machine, with and without a page.

- ok: a bare view returning "ok" (no template, no query, no session).
- plain_page: 30 rows from one query rendered in the site's layout for a signed-in user,
  the least a real MathPath page can cost.
- one_row_write: a signed-in POST that writes one row (INSERT ... ON CONFLICT DO UPDATE)
  and answers with a tiny fragment: the floor for an htmx status change.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from catalog.models import Resource


@login_not_required
@require_safe
def ok(request):
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def plain_page(request):
    rows = Resource.objects.only("title", "slug", "provider", "level").order_by("pk")[:30]
    return render(request, "benchmarks/plain.html", {"rows": rows})


@require_POST
def one_row_write(request):
    # The database cache table is always there; one upsert per user keeps the row count flat.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO mathpath_cache (cache_key, value, expires) "
            "VALUES (%s, %s, now() + interval '1 day') "
            "ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, "
            "expires = EXCLUDED.expires",
            [f"bench:{request.user.pk}", request.POST.get("status", "done")],
        )
    return HttpResponse('<span class="status">saved</span>')
