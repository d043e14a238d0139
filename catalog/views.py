"""The public catalogue: a filterable list and one page per resource."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
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
    domains = list(Domain.objects.all())
    form = CatalogFilterForm(request.GET, domains=domains)
    filters = form.filters()
    resources = Resource.objects.for_list(request.user).filtered(**filters)
    page = Paginator(resources, PER_PAGE).get_page(request.GET.get("page"))
    ignored = [form[name].label.lower() for name in form.errors if name in form.fields]
    context = {"form": form, "filters": filters, "ignored_filters": ignored, "page_obj": page}
    # The filter form swaps only the results; Back and reload (a history restore) need the
    # whole page again.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "catalog/list.html#results", context)
    return render(request, "catalog/list.html", context)


@login_not_required
@require_safe
def resource_detail(request, slug):
    resource = get_object_or_404(Resource.objects.for_detail(request.user), slug=slug)
    return render(request, "catalog/detail.html", {"resource": resource})
