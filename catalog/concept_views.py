"""The public concepts pages: every concept by area, one page per concept, its notebook."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from catalog.concept_graph import concept_areas
from catalog.models import Concept, Exercise
from catalog.notebooks import notebook_text


@login_not_required
@require_safe
def concept_list(request):
    areas = concept_areas(Concept.objects.for_index(request.user))
    return render(request, "catalog/concepts.html", {"areas": areas})


@login_not_required
@require_safe
def concept_detail(request, slug):
    concept = get_object_or_404(Concept.objects.for_detail(request.user), slug=slug)
    return render(request, "catalog/concept.html", {"concept": concept})


@login_not_required
@require_safe
def concept_notebook(request, slug):
    exercises = Exercise.objects.visible_to(request.user).select_related("concept")
    exercise = get_object_or_404(exercises, concept__slug=slug)
    response = HttpResponse(notebook_text(exercise), content_type="application/x-ipynb+json")
    response["Content-Disposition"] = f'attachment; filename="{exercise.concept.slug}.ipynb"'
    return response
