"""`manage.py prepare`: what `make run`, `make serve` and `make migrate` run before serving."""

from io import StringIO

from django.core.management import call_command

from catalog.models import Concept, Resource
from progress.models import Progress, Status
from tests.factories import UserFactory


def test_prepare_loads_the_catalogue_and_gives_earlier_finishes_their_cards(db):
    out = StringIO()
    call_command("prepare", stdout=out)
    assert Resource.objects.filter(published=True).count() > 50
    assert Concept.objects.filter(published=True).exists()
    # A finish written before cards existed: the next start gives its cards, once.
    taught = Resource.objects.filter(concept_locations__concept__published=True).first()
    learner = UserFactory()
    Progress.objects.create(user=learner, resource=taught, status=Status.DONE)
    out = StringIO()
    call_command("prepare", stdout=out)
    given = learner.learner_cards.count()
    assert given > 0 and f"Gave learners {given} recall card" in out.getvalue()
    call_command("prepare", stdout=StringIO())
    assert learner.learner_cards.count() == given
