"""The concepts page's prerequisite graphs: one small server-drawn SVG per area.

Concepts are laid out in columns by depth (a concept sits one column right of its deepest
prerequisite in the same area), in their curated order within a column, with an arrow from
each prerequisite to what it unlocks. Markup is built with `format_html`, so titles are
escaped; colours are presentation attributes and classes (CSP forbids style attributes).
The SVG is an image with a title and description; the page's list of concepts with their
prerequisites, which the SVG points to with aria-describedby, is its text alternative.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

NODE_W, NODE_H = 176, 30
COLUMN, ROW = 216, 42
PAD = 6
MAX_CHARS = 26


@dataclass
class Area:
    """One area of the concepts page: its domain, its concepts in order, and their graph."""

    domain: object
    concepts: list = field(default_factory=list)
    graph: str = ""


def concept_areas(concepts):
    """Concepts (with `prerequisite_list`) grouped by area in order, each with its graph."""
    areas = {}
    for concept in concepts:
        areas.setdefault(concept.domain_id, Area(concept.domain)).concepts.append(concept)
    for area in areas.values():
        area.graph = prerequisite_graph(area.concepts, graph_id=f"graph-{area.domain.slug}")
    return list(areas.values())


def _depths(concepts):
    by_pk = {concept.pk: concept for concept in concepts}
    depths = {}

    def depth(concept, seen=()):
        if concept.pk not in depths:
            inside = [p for p in concept.prerequisite_list if p.pk in by_pk and p.pk not in seen]
            below = [depth(by_pk[p.pk], (*seen, concept.pk)) for p in inside]
            depths[concept.pk] = 1 + max(below, default=-1)
        return depths[concept.pk]

    for concept in concepts:
        depth(concept)
    return depths


def _short(title):
    return title if len(title) <= MAX_CHARS else title[: MAX_CHARS - 1].rstrip() + "…"


def prerequisite_graph(concepts, *, graph_id):
    """Safe SVG markup of the prerequisite arrows between `concepts` (one area), or ""."""
    if not concepts:
        return ""
    depths = _depths(concepts)
    places, rows = {}, {}
    for concept in concepts:
        column = depths[concept.pk]
        row = rows.get(column, 0)
        rows[column] = row + 1
        places[concept.pk] = (PAD + column * COLUMN, PAD + row * ROW)
    width = PAD * 2 + max(depths.values()) * COLUMN + NODE_W
    height = PAD * 2 + (max(rows.values()) - 1) * ROW + NODE_H
    edges = []
    for concept in concepts:
        x2, y2 = places[concept.pk]
        for prerequisite in concept.prerequisite_list:
            if prerequisite.pk in places:
                x1, y1 = places[prerequisite.pk]
                edges.append((x1 + NODE_W, y1 + NODE_H // 2, x2 - 2, y2 + NODE_H // 2))
    edge_markup = format_html_join(
        "",
        '<line class="concept-edge" x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" '
        'stroke-width="1.5" marker-end="url(#{}-arrow)"/>',
        ((*edge, graph_id) for edge in edges),
    )
    node_markup = format_html_join(
        "",
        '<g class="concept-node concept-{}"><rect x="{}" y="{}" width="{}" height="{}" rx="6" '
        'fill="none" stroke="currentColor"/><text x="{}" y="{}" font-size="12" '
        'fill="currentColor">{}</text></g>',
        (
            (c.level, x, y, NODE_W, NODE_H, x + 8, y + 19, _short(c.title))
            for c in concepts
            for x, y in [places[c.pk]]
        ),
    )
    return format_html(
        '<svg class="concept-graph" id="{id}" role="img" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" aria-labelledby="{id}-title" aria-describedby="{id}-list">'
        '<title id="{id}-title">Prerequisites between {n} concepts: {e} arrows from a '
        "concept to what it unlocks</title>"
        '<defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="currentColor"/>'
        "</marker></defs>{edges}{nodes}</svg>",
        id=graph_id,
        w=width,
        h=height,
        n=len(concepts),
        e=len(edges),
        edges=edge_markup,
        nodes=node_markup,
    )
