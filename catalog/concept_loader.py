"""Load the curated concepts, their recall cards, locations and exercises from their data file.

The same rules as the resource loader (catalog.loader): every record remembers in
``loaded_values`` what the loader last wrote; a field a curator has edited since is kept
(and reported); `published` is never touched after creation; nothing is deleted. The whole
file is checked first (slugs of areas, resources and concepts, prerequisite cycles, every
card's maths) and written in one transaction, so an error leaves the database as it was.
The format is documented in docs/concepts.md.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from catalog.loader import (
    CatalogDataError,
    LoadReport,
    _check_for_cycles,
    _display_path,
    _find_cycle,
    _merge,
    _snapshot_value,
    read_yaml,
)
from catalog.models import Concept, ConceptLocation, Domain, Exercise, RecallCard, Resource

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "concepts.yaml"

# name -> (type, required). Positions default to the record's place in the file.
CONCEPT_FIELDS = {
    "slug": (str, True),
    "title": (str, True),
    "domain": (str, True),
    "level": (str, True),
    "why": (str, True),
    "position": (int, False),
    "prerequisites": (list, False),
    "locations": (list, False),
    "cards": (list, False),
    "exercise": (dict, False),
}
LOCATION_FIELDS = {"resource": (str, True), "where": (str, True)}
CARD_FIELDS = {
    "key": (str, True),
    "kind": (str, True),
    "prompt": (str, True),
    "answer": (str, True),
    "position": (int, False),
}
EXERCISE_FIELDS = {
    name: (str, True) for name in ("title", "task", "starter", "solution", "checks", "break_it")
}
CONCEPT_SCALARS = ("title", "level", "why", "position")


def load_concepts(path=DEFAULT_PATH):
    """Load `path` into the database; returns a LoadReport (kept edits of every kind)."""
    path = Path(path)
    shown = _display_path(path)
    concepts = _read(path, shown)
    report = LoadReport()
    with transaction.atomic():
        _write(concepts, report)
        _check_for_cycles(shown, Concept)
    return report


# --- Reading and validating ---------------------------------------------------------------


def _read(path, shown):
    data = read_yaml(path, shown)
    if not isinstance(data, dict) or set(data) != {"concepts"}:
        raise CatalogDataError(f"{shown}: expected a mapping with a 'concepts' list.")
    items = data["concepts"] or []
    if not isinstance(items, list):
        raise CatalogDataError(f"{shown}: 'concepts' must be a list.")
    concepts = {}
    for number, item in enumerate(items, start=1):
        label = f"{shown}: concept #{number}"
        if isinstance(item, dict) and isinstance(item.get("slug"), str):
            label = f"{shown}: concept '{item['slug']}'"
        record = _fields(item, CONCEPT_FIELDS, label)
        record.setdefault("position", number)
        record.setdefault("prerequisites", [])
        _check_slug(record["slug"], f"{label}, field 'slug'")
        if record["slug"] in concepts:
            raise CatalogDataError(f"{label}, field 'slug': appears twice in the file.")
        record["locations"] = _parts(record, "locations", LOCATION_FIELDS, "location", label)
        record["cards"] = _parts(record, "cards", CARD_FIELDS, "card", label)
        if "exercise" in record:
            record["exercise"] = _fields(record["exercise"], EXERCISE_FIELDS, f"{label}, exercise")
        concepts[record["slug"]] = record
    _check_references(concepts, shown)
    return concepts


def _fields(item, schema, label):
    """`item` checked against `schema` (name -> (type, required)); text is stripped."""
    if not isinstance(item, dict):
        raise CatalogDataError(f"{label}: expected a mapping of field names to values.")
    unknown = set(item) - set(schema)
    if unknown:
        raise CatalogDataError(f"{label}, field '{sorted(unknown)[0]}': unknown field.")
    missing = [name for name, (_, required) in schema.items() if required and name not in item]
    if missing:
        raise CatalogDataError(f"{label}, field '{missing[0]}': required.")
    record = {}
    for name, value in item.items():
        kind = schema[name][0]
        where = f"{label}, field '{name}'"
        if kind is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise CatalogDataError(f"{where}: must be a whole number, not {value!r}.")
        if kind is str and not isinstance(value, str):
            raise CatalogDataError(f"{where}: must be text, not {value!r}.")
        if kind is list and not isinstance(value, list):
            raise CatalogDataError(f"{where}: must be a list, not {value!r}.")
        if kind is dict and not isinstance(value, dict):
            raise CatalogDataError(f"{where}: must be a mapping of field names to values.")
        record[name] = value.strip() if kind is str else value
    return record


def _parts(record, name, schema, kind, label):
    """The concept's locations or cards, each checked, in file order."""
    parts = []
    for number, item in enumerate(record.get(name, []), start=1):
        part_label = f"{label}, {kind} #{number}"
        if kind == "card" and isinstance(item, dict) and isinstance(item.get("key"), str):
            part_label = f"{label}, card '{item['key']}'"
        part = _fields(item, schema, part_label)
        part["label"] = part_label
        if kind == "card":
            part.setdefault("position", number)
            _check_slug(part["key"], f"{part_label}, field 'key'")
        parts.append(part)
    identity = "resource" if kind == "location" else "key"
    seen = [part[identity] for part in parts]
    for part in parts:
        if seen.count(part[identity]) > 1:
            raise CatalogDataError(
                f"{part['label']}, field '{identity}': appears twice for this concept."
            )
    return parts


def _check_slug(value, where):
    try:
        validate_slug(value)
    except ValidationError as error:
        raise CatalogDataError(f"{where}: {error.messages[0]}") from error


def _check_references(concepts, shown):
    domains = set(Domain.objects.values_list("slug", flat=True))
    resources = set(Resource.objects.values_list("slug", flat=True))
    known = set(concepts) | set(Concept.objects.values_list("slug", flat=True))
    for slug, record in concepts.items():
        where = f"{shown}: concept '{slug}'"
        if record["domain"] not in domains:
            raise CatalogDataError(
                f"{where}, field 'domain': no area with slug '{record['domain']}'."
            )
        prerequisites = record["prerequisites"]
        for prerequisite in prerequisites:
            if not isinstance(prerequisite, str) or prerequisite not in known:
                raise CatalogDataError(
                    f"{where}, field 'prerequisites': no concept with slug '{prerequisite}'."
                )
        if len(set(prerequisites)) != len(prerequisites):
            raise CatalogDataError(f"{where}, field 'prerequisites': a slug appears twice.")
        for location in record["locations"]:
            if location["resource"] not in resources:
                raise CatalogDataError(
                    f"{location['label']}, field 'resource': no resource with slug "
                    f"'{location['resource']}'."
                )
        _check_models(record, where)
    cycle = _find_cycle({slug: r["prerequisites"] for slug, r in concepts.items()})
    if cycle:
        raise CatalogDataError(
            f"{shown}: concept '{cycle[0]}', field 'prerequisites': makes a cycle "
            f"({' → '.join(cycle)})."
        )


def _check_models(record, where):
    """Each record's own model validation (levels, kinds, every card's maths), as the admin."""
    checks = [(Concept(**{n: record[n] for n in CONCEPT_SCALARS}), where)]
    checks += [(RecallCard(**_card_values(card)), card["label"]) for card in record["cards"]]
    if "exercise" in record:
        checks.append((Exercise(**record["exercise"]), f"{where}, exercise"))
    for instance, label in checks:
        try:
            instance.clean_fields(exclude=["concept", "domain", "key", "slug"])
            instance.clean()
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise CatalogDataError(f"{label}, field '{name}': {' '.join(messages)}") from error


def _card_values(card):
    return {name: card[name] for name in CARD_FIELDS}


# --- Writing ------------------------------------------------------------------------------


def _write(concepts, report):
    domains = {d.slug: d for d in Domain.objects.all()}
    existing = {
        c.slug: c
        for c in Concept.objects.filter(slug__in=concepts)
        .select_related("domain")
        .prefetch_related("prerequisites", "locations__resource", "cards", "exercise")
    }
    written = {}
    for slug, record in concepts.items():
        concept = existing.get(slug) or Concept(slug=slug)
        wanted = {name: record[name] for name in CONCEPT_SCALARS}
        wanted["domain"] = record["domain"]
        wanted["prerequisites"] = sorted(record["prerequisites"])
        current = {name: _snapshot_value(getattr(concept, name, None)) for name in CONCEPT_SCALARS}
        current["domain"] = concept.domain.slug if concept.pk else None
        current["prerequisites"] = (
            sorted(c.slug for c in concept.prerequisites.all()) if concept.pk else []
        )
        values = {**wanted, "domain": domains[record["domain"]]}
        changes = _save(concept, values, current, wanted, slug, report, ["prerequisites"])
        written[slug] = (concept, "prerequisites" in changes)
        _write_locations(concept, record["locations"], report)
        _write_cards(concept, record["cards"], report)
        if "exercise" in record:
            exercise = getattr(concept, "exercise", None) if concept.pk else None
            exercise = exercise or Exercise(concept=concept)
            wanted = record["exercise"]
            current = {name: getattr(exercise, name) for name in wanted}
            _save(exercise, wanted, current, wanted, f"{slug}.exercise", report)
    by_slug = {c.slug: c for c in Concept.objects.only("pk", "slug")}
    for slug, (concept, prerequisites_changed) in written.items():
        if prerequisites_changed:
            concept.prerequisites.set([by_slug[s] for s in concepts[slug]["prerequisites"]])


def _write_locations(concept, locations, report):
    current_by_resource = {loc.resource.slug: loc for loc in concept.locations.all()}
    resources = dict(
        Resource.objects.filter(slug__in=[loc["resource"] for loc in locations]).values_list(
            "slug", "pk"
        )
    )
    for location in locations:
        slug = location["resource"]
        instance = current_by_resource.get(slug) or ConceptLocation(
            concept=concept, resource_id=resources[slug]
        )
        wanted = {"where": location["where"]}
        _save(instance, wanted, {"where": instance.where}, wanted, f"{concept.slug}@{slug}", report)


def _write_cards(concept, cards, report):
    current_by_key = {card.key: card for card in concept.cards.all()}
    for card in cards:
        instance = current_by_key.get(card["key"]) or RecallCard(concept=concept, key=card["key"])
        wanted = {name: card[name] for name in ("kind", "prompt", "answer", "position")}
        current = {name: getattr(instance, name) for name in wanted}
        _save(instance, wanted, current, wanted, f"{concept.slug}/{card['key']}", report)


def _save(instance, values, current, wanted, label, report, relations=()):
    """Write the fields of `wanted` nobody edited since the last load; returns what changed.

    `values` are what to assign (model instances for foreign keys), `current` and `wanted`
    the comparable snapshots of the database and the file. Relations in `relations` are
    reported as changed but left for the caller to set.
    """
    wanted = {name: _snapshot_value(value) for name, value in wanted.items()}
    existed = instance.pk is not None
    changes, kept, snapshot = _merge(current, instance.loaded_values, wanted, existed)
    report.kept_edits += [f"{label}.{name}" for name in kept]
    fields = [name for name in changes if name not in relations]
    for name in fields:
        setattr(instance, name, values[name])
    if not existed:
        instance.loaded_values = snapshot
        instance.save()
        report.created.append(label)
        return changes
    if changes or snapshot != instance.loaded_values:
        instance.loaded_values = snapshot
        instance.save(update_fields=[*fields, "loaded_values"])
    (report.updated if changes else report.unchanged).append(label)
    return changes
