"""The learners' side of curation: report a problem, suggest a resource, rate one."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from catalog.models import Resource
from curation.forms import FlagForm
from curation.models import Flag, FlagRefused


def _get_resource(request: HttpRequest, slug: str) -> Resource:
    """The resource this learner may see (staff also see drafts), or a 404 that says so."""
    resource = Resource.objects.visible_to(request.user).filter(slug=slug).first()
    if resource is None:
        raise Http404("There is no resource with that address in the catalogue.")
    return resource


@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """"Report a problem" with a resource: the form, and the learner's earlier reports on it."""
    resource = _get_resource(request, slug)
    form = FlagForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            Flag.objects.report(request.user, resource, **form.cleaned_data)
        except FlagRefused as refused:
            form.add_error(None, str(refused))
            status = refused.status
        else:
            messages.success(request, "Thank you: your report is with the curators.")
            return redirect(resource)
    elif request.method == "POST":
        status = 400
    reports = request.user.flags.filter(resource=resource)
    context = {"resource": resource, "form": form, "reports": reports}
    return render(request, "curation/report.html", context, status=status)
