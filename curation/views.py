"""The learners' side of curation: report a problem, suggest a resource, rate one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from catalog.models import Resource
from curation import site
from curation.forms import FlagForm, PublicCardForm, RatingForm, SuggestionForm
from curation.models import Flag, FlagRefused, PublicCard, Rating, Suggestion
from progress.models import Status


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


@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request: HttpRequest) -> HttpResponse:
    """Suggest a resource for the catalogue; the learner's suggestions and their outcomes."""
    form = SuggestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.user = request.user
        form.save()
        messages.success(request, "Thank you: your suggestion is waiting for a curator.")
        return redirect("curation:suggest")
    context = {"form": form, "suggestions": Suggestion.objects.for_page(request.user)}
    status = 400 if request.method == "POST" else 200
    return render(request, "curation/suggest.html", context, status=status)


@login_not_required
@require_safe
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "curation/about.html", {"beyond": site.beyond_the_guide()})


@login_not_required
@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "curation/privacy.html")


@login_not_required
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in site.ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('curation:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "HEAD", "POST"])
def rate(request: HttpRequest, slug: str) -> HttpResponse:
    """The one-screen rating of a resource the learner marked done; rating again replaces it."""
    resource = _get_resource(request, slug)
    own = request.user.resource_ratings.filter(resource=resource).first()
    form = RatingForm(request.POST or None, instance=own)
    done = request.user.progress.filter(resource=resource, status=Status.DONE).exists()
    context = {"resource": resource, "form": form, "done": done}
    if not done:
        return render(request, "curation/rate.html", context, status=403)
    if request.method == "POST" and form.is_valid():
        Rating.objects.put(request.user, resource, **form.cleaned_data)
        messages.success(request, f"Thank you: your rating of “{resource.title}” is saved.")
        return redirect(resource)
    status = 400 if request.method == "POST" else 200
    return render(request, "curation/rate.html", context, status=status)


def _get_shown_card(handle: str) -> PublicCard:
    """The card at /u/<handle>/ if its learner shows it; 404 otherwise (also after opting out)."""
    card = PublicCard.objects.filter(handle=handle, enabled=True).first()
    if card is None:
        raise Http404("No progress card is shown at this address.")
    return card


@login_not_required
@require_safe
def card(request: HttpRequest, handle: str) -> HttpResponse:
    public_card = _get_shown_card(handle)
    context = {"card": public_card, "content": public_card.shown()}
    response = render(request, "curation/card.html", context)
    if not public_card.allow_indexing:
        response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_safe
def card_image(request: HttpRequest, handle: str) -> HttpResponse:
    """The card as an SVG image, for link previews (og:image)."""
    public_card = _get_shown_card(handle)
    response = render(
        request, "curation/card.svg", {"content": public_card.shown()},
        content_type="image/svg+xml; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def card_settings(request: HttpRequest) -> HttpResponse:
    """Turn the public progress card on or off, and choose its handle."""
    own = PublicCard.objects.filter(user=request.user).first() or PublicCard(user=request.user)
    form = PublicCardForm(request.POST or None, instance=own)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved.enabled:
            messages.success(request, f"Your progress card is public at /u/{saved.handle}/.")
        else:
            messages.success(request, "Your progress card is off: its address now answers 404.")
        return redirect("curation:card_settings")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "card": own}
    return render(request, "curation/card_settings.html", context, status=status)
