"""Load the curated catalogue from its data file without undoing curators' work.

Every domain and resource remembers, in ``loaded_values``, what the loader last wrote to
each field. On the next load a field is updated only while its current value still equals
that remembered value, that is, while nobody has edited it in the admin since. A field a
curator changed keeps the curator's value (and is reported); a record a curator created
before it appeared in the file is treated as entirely the curator's. Fields the file does
not manage at all (published, last verified) are never touched after creation.

The whole file is validated before anything is written, and the writes happen in one
transaction, so an error anywhere leaves the database exactly as it was.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from catalog.models import Domain, Resource

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "catalog.yaml"

DOMAIN_REQUIRED = {"slug", "name"}
DOMAIN_DEFAULTS = {"order": 0, "description": ""}

RESOURCE_REQUIRED = {"slug", "title", "provider", "url", "format", "level", "domains", "summary"}
RESOURCE_DEFAULTS = {
    "cost": "free",
    "price_usd": None,
    "styles": [],
    "estimated_hours": None,
    "how_to_use": "",
    "is_reference": False,
    "approach": "",
    "optimisation_focused": False,
    "beyond_guide": False,
    "role": "",
    "prerequisites": [],
}
RELATIONS = ("domains", "prerequisites")
TEXT_FIELDS = {"title", "provider", "url", "format", "level", "summary", "how_to_use"}
TEXT_FIELDS |= {"cost", "approach", "role", "name", "description"}
BOOLEAN_FIELDS = {"is_reference", "optimisation_focused", "beyond_guide"}
INTEGER_FIELDS = {"estimated_hours", "order"}
LIST_FIELDS = {"styles", "domains", "prerequisites"}


class CatalogDataError(Exception):
    """The data file is wrong; the message names the file, the record and the field."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)

    def summary(self, kind):
        return (
            f"{len(self.created)} {kind} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


def load_catalog(path=DEFAULT_PATH):
    """Load `path` into the database; returns (domain report, resource report)."""
    path = Path(path)
    shown = _display_path(path)
    domains, resources = _read(path, shown)
    with transaction.atomic():
        domain_report = _load_domains(domains, shown)
        resource_report = _load_resources(resources, shown)
        _check_for_cycles(shown)
    return domain_report, resource_report


# --- Reading and validating ---------------------------------------------------------------


def _display_path(path):
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def read_yaml(path, shown):
    """The parsed file, or a CatalogDataError naming it."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogDataError(f"{shown}: can't read the file ({error.strerror}).") from error
    except yaml.YAMLError as error:
        raise CatalogDataError(f"{shown}: not valid YAML: {error}") from error


def _read(path, shown):
    data = read_yaml(path, shown)
    if not isinstance(data, dict) or set(data) - {"domains", "resources"}:
        raise CatalogDataError(f"{shown}: expected a mapping with 'domains' and 'resources'.")
    domains = _records(data, "domains", shown, "domain", DOMAIN_REQUIRED, DOMAIN_DEFAULTS)
    resources = _records(data, "resources", shown, "resource", RESOURCE_REQUIRED, RESOURCE_DEFAULTS)
    known_domains = set(domains) | set(Domain.objects.values_list("slug", flat=True))
    known_resources = set(resources) | set(Resource.objects.values_list("slug", flat=True))
    for slug, record in resources.items():
        where = f"{shown}: resource '{slug}'"
        _check_references(record, "domains", known_domains, "domain", where)
        _check_references(record, "prerequisites", known_resources, "resource", where)
        if not record["domains"]:
            raise CatalogDataError(f"{where}, field 'domains': name at least one domain.")
        _check_model(Resource, record, where)
    for slug, record in domains.items():
        _check_model(Domain, record, f"{shown}: domain '{slug}'")
    _check_file_cycles(resources, shown)
    return domains, resources


def _records(data, key, shown, kind, required, defaults):
    """The records under `key`, by slug, with defaults filled in and types checked."""
    items = data.get(key) or []
    if not isinstance(items, list):
        raise CatalogDataError(f"{shown}: '{key}' must be a list.")
    records = {}
    for number, item in enumerate(items, start=1):
        label = f"{shown}: {kind} #{number}"
        if not isinstance(item, dict):
            raise CatalogDataError(f"{label}: expected a mapping of field names to values.")
        if "slug" in item:
            label = f"{shown}: {kind} '{item['slug']}'"
        unknown = set(item) - required - set(defaults)
        if unknown:
            raise CatalogDataError(f"{label}, field '{sorted(unknown)[0]}': unknown field.")
        missing = required - set(item)
        if missing:
            raise CatalogDataError(f"{label}, field '{sorted(missing)[0]}': required.")
        record = {**defaults, **item}
        for name, value in record.items():
            record[name] = _typed(name, value, f"{label}, field '{name}'")
        try:
            validate_slug(record["slug"])
        except ValidationError as error:
            raise CatalogDataError(f"{label}, field 'slug': {error.messages[0]}") from error
        if record["slug"] in records:
            raise CatalogDataError(f"{label}, field 'slug': appears twice in the file.")
        records[record["slug"]] = record
    return records


def _typed(name, value, where):
    """`value` checked (and normalised) for the type field `name` holds."""
    if name in BOOLEAN_FIELDS:
        if not isinstance(value, bool):
            raise CatalogDataError(f"{where}: must be true or false, not {value!r}.")
        return value
    if name in INTEGER_FIELDS:
        if value is None and name != "order":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CatalogDataError(f"{where}: must be a whole number, not {value!r}.")
        return value
    if name in LIST_FIELDS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CatalogDataError(f"{where}: must be a list of names, not {value!r}.")
        return value
    if name == "price_usd":
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise CatalogDataError(f"{where}: must be a number, not {value!r}.")
        try:
            return Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation as error:
            raise CatalogDataError(f"{where}: must be a number, not {value!r}.") from error
    if name in TEXT_FIELDS or name == "slug":
        if not isinstance(value, str):
            raise CatalogDataError(f"{where}: must be text, not {value!r}.")
        return value.strip()
    return value


def _check_references(record, name, known, kind, where):
    for slug in record[name]:
        if slug not in known:
            raise CatalogDataError(f"{where}, field '{name}': no {kind} with slug '{slug}'.")
    if len(set(record[name])) != len(record[name]):
        raise CatalogDataError(f"{where}, field '{name}': a slug appears twice.")


def _check_model(model, record, where):
    """Run the model's own validation on the record, as the admin would."""
    existing = model.objects.filter(slug=record["slug"]).values_list("pk", flat=True).first()
    instance = model(pk=existing, **_scalars(record))
    instance._state.adding = existing is None  # so that its own slug isn't a duplicate
    try:
        instance.full_clean(exclude=RELATIONS)
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise CatalogDataError(f"{where}, field '{name}': {' '.join(messages)}") from error


def _check_file_cycles(resources, shown):
    graph = {slug: record["prerequisites"] for slug, record in resources.items()}
    cycle = _find_cycle(graph)
    if cycle:
        raise CatalogDataError(
            f"{shown}: resource '{cycle[0]}', field 'prerequisites': makes a cycle "
            f"({' → '.join(cycle)})."
        )


def _find_cycle(graph):
    """One cycle in `graph` (node → nodes it points to) as a list of nodes, or None."""
    state = {}  # node -> "open" while on the current path, "done" once fully explored

    def visit(node, path):
        state[node] = "open"
        for nxt in graph.get(node, ()):
            if state.get(nxt) == "open":  # back on the current path: a cycle
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt, [*path, nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


# --- Writing ------------------------------------------------------------------------------


def _scalars(record):
    return {name: value for name, value in record.items() if name not in RELATIONS}


def _snapshot_value(value):
    """A JSON-safe form of a field value, comparable between the file and the database."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list | tuple | set):
        return sorted(value)
    return value


def _merge(current, loaded, wanted, existed, defaults=None):
    """Which fields to write, which curator edits to keep, and the new snapshot.

    `current`, `loaded` and `wanted` map field names to snapshot values: what the database
    holds now, what the loader last wrote, and what the file says. A field added to the
    file format after the last load (such as `role`) is the loader's to fill while it still
    holds its default; a curator-made record (nothing loaded yet) stays the curator's.
    """
    defaults = defaults or {}
    changes, kept, snapshot = {}, [], {}
    for name, value in wanted.items():
        untouched = not existed or (name in loaded and current[name] == loaded[name])
        if loaded and name not in loaded and name in defaults:
            untouched = current[name] == _snapshot_value(defaults[name])
        if untouched or current[name] == value:
            if current[name] != value:
                changes[name] = value
            snapshot[name] = value
        else:
            kept.append(name)
            if name in loaded:
                snapshot[name] = loaded[name]
    return changes, kept, snapshot


def _load_domains(records, shown):
    report = LoadReport()
    existing = {d.slug: d for d in Domain.objects.filter(slug__in=records)}
    for slug, record in records.items():
        domain = existing.get(slug) or Domain(slug=slug)
        wanted = {name: _snapshot_value(v) for name, v in record.items() if name != "slug"}
        current = {name: _snapshot_value(getattr(domain, name)) for name in wanted}
        changes, kept, snapshot = _merge(current, domain.loaded_values, wanted, domain.pk)
        report.kept_edits += [f"{slug}.{name}" for name in kept]
        for name in changes:
            setattr(domain, name, record[name])
        if domain.pk is None:
            domain.loaded_values = snapshot
            domain.save()
            report.created.append(slug)
        elif changes or snapshot != domain.loaded_values:
            domain.loaded_values = snapshot
            domain.save(update_fields=[*changes, "loaded_values"])
            (report.updated if changes else report.unchanged).append(slug)
        else:
            report.unchanged.append(slug)
    return report


def _load_resources(records, shown):
    report = LoadReport()
    existing = {
        r.slug: r
        for r in Resource.objects.filter(slug__in=records).prefetch_related(
            "domains", "prerequisites"
        )
    }
    relations = {}  # resource -> {relation name: slugs} to set once every resource exists
    for slug, record in records.items():
        resource = existing.get(slug) or Resource(slug=slug)
        wanted = {name: _snapshot_value(v) for name, v in record.items() if name != "slug"}
        current = {}
        for name in wanted:
            if name in RELATIONS:
                related = getattr(resource, name).all() if resource.pk else []
                current[name] = sorted(r.slug for r in related)
            else:
                current[name] = _snapshot_value(getattr(resource, name))
        changes, kept, snapshot = _merge(
            current, resource.loaded_values, wanted, resource.pk, RESOURCE_DEFAULTS
        )
        report.kept_edits += [f"{slug}.{name}" for name in kept]
        scalar_changes = [name for name in changes if name not in RELATIONS]
        for name in scalar_changes:
            setattr(resource, name, record[name])
        if changes:
            where = f"{shown}: resource '{slug}'"
            try:
                resource.full_clean(exclude=RELATIONS)
            except ValidationError as error:
                name, messages = next(iter(error.message_dict.items()))
                raise CatalogDataError(
                    f"{where}, field '{name}': {' '.join(messages)} (the file's values "
                    f"clash with a curator's edit of {', '.join(kept) or 'this record'})."
                ) from error
        created = resource.pk is None
        if created:
            resource.loaded_values = snapshot
            resource.save()
            report.created.append(slug)
        else:
            if changes or snapshot != resource.loaded_values:
                resource.loaded_values = snapshot
                resource.save(update_fields=[*scalar_changes, "loaded_values", "updated_at"])
            (report.updated if changes else report.unchanged).append(slug)
        relations[resource] = {name: record[name] for name in RELATIONS if name in changes}
    domains = {d.slug: d for d in Domain.objects.all()}
    resources = {r.slug: r for r in Resource.objects.only("pk", "slug")}
    for resource, changed in relations.items():
        if "domains" in changed:
            resource.domains.set([domains[s] for s in changed["domains"]])
        if "prerequisites" in changed:
            resource.prerequisites.set([resources[s] for s in changed["prerequisites"]])
    return report


def _check_for_cycles(shown, model=Resource):
    """A last check over the whole database: curators' and file's edges together."""
    kind = model._meta.model_name
    through = model.prerequisites.through
    graph = {}
    for source, target in through.objects.values_list(f"from_{kind}__slug", f"to_{kind}__slug"):
        graph.setdefault(source, []).append(target)
    cycle = _find_cycle(graph)
    if cycle:
        raise CatalogDataError(
            f"{shown}: {kind} '{cycle[0]}', field 'prerequisites': together with "
            f"prerequisites set in the admin this makes a cycle ({' → '.join(cycle)})."
        )
