"""The public catalogue: a filterable list and one page per resource."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalog.forms import CatalogFilterForm
from catalog.models import Domain, Resource

PER_PAGE = 20


@login_not_required
@require_safe
@vary_on_headers("HX-Request")
def resource_list(request):
    domains = list(Domain.objects.only("slug", "name"))
    form = CatalogFilterForm(request.GET, domains=domains)
    filters = form.filters()
    ignored = [form[name].label.lower() for name in form.errors if name in form.fields]
    resources = (
        Resource.objects.for_list(request.user).with_learner_state(request.user).filtered(**filters)
    )
    context = {
        "form": form,
        "filters": filters,
        "ignored_filters": ignored,
        "page_obj": _get_page(resources, request.GET.get("page")),
    }
    # The filter form swaps only the results; Back and reload (a history restore) need the
    # whole page again.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "catalog/list.html#results", context)
    return render(request, "catalog/list.html", context)


def _get_page(resources, number):
    """Paginator.get_page(number), with the total counted by the page's own query.

    A search has to rank every match before it can cut a page, so counting the matches in
    the same pass (COUNT(*) OVER ()) halves the work of a search; a number that is not a
    page falls back to the paginator's usual answer (first or last page).
    """
    paginator = Paginator(resources, PER_PAGE)
    try:
        wanted = int(number or 1)
    except (TypeError, ValueError):
        wanted = 0
    # Beyond any real page (and any OFFSET PostgreSQL accepts) the paginator answers.
    if 1 <= wanted <= 10_000:
        start = (wanted - 1) * PER_PAGE
        rows = list(resources.annotate(total=Window(Count("pk")))[start : start + PER_PAGE])
        if rows:
            paginator.count = rows[0].total  # a cached_property: no count query follows
            return Page(rows, wanted, paginator)
    return paginator.get_page(number)


@login_not_required
@require_safe
def resource_detail(request, slug):
    resource = get_object_or_404(Resource.objects.for_detail(request.user), slug=slug)
    return render(request, "catalog/detail.html", {"resource": resource})
