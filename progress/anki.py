"""A learner's recall cards as an Anki deck package (.apkg), built with genanki.

"Tools like Anki flashcards work perfectly for mathematical formulas and AI terminology."
One deck per area ("MathPath::Linear algebra"). Every id Anki matches on comes from slugs,
never from the database or the clock: the note model's and each deck's id are hashes of
fixed names and area slugs, and each note's GUID is a hash of its concept slug and prompt
id. Importing a newer file therefore updates the notes already in Anki instead of adding
copies, and a curator's correction to a card reaches the learner's Anki on the next import.

Maths is written for Anki's own MathJax: `$…$` becomes `\\(…\\)` and `$$…$$` becomes `\\[…\\]`;
everything else is HTML-escaped.
"""

import hashlib
import re
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import genanki
from django.utils.html import escape

DECK_PREFIX = "MathPath"
_SPAN = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<!\\)\$(?P<inline>.+?)(?<!\\)\$", re.DOTALL)


@dataclass(frozen=True)
class CardData:
    area_slug: str
    area_name: str
    concept_slug: str
    concept_title: str
    key: str
    prompt: str
    answer: str


def stable_id(*names: str) -> int:
    """A positive 31-bit id from names: what Anki needs for models and decks, fixed forever."""
    digest = hashlib.sha256("::".join(("mathpath", *names)).encode()).digest()
    return (int.from_bytes(digest[:4], "big") & 0x3FFFFFFF) | 0x40000000


def note_guid(concept_slug: str, key: str) -> str:
    return genanki.guid_for("mathpath", concept_slug, key)


MODEL = genanki.Model(
    stable_id("recall-card-model"),
    "MathPath recall card",
    fields=[{"name": "Prompt"}, {"name": "Answer"}, {"name": "Concept"}],
    templates=[
        {
            "name": "Recall",
            "qfmt": '<div class="concept">{{Concept}}</div>{{Prompt}}',
            "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}',
        }
    ],
    css=".card { font-family: system-ui, sans-serif; font-size: 20px; line-height: 1.5; }"
    " .concept { font-size: 14px; color: #666; }",
)


def for_anki(text: str) -> str:
    """Curated text with `$…$` maths as HTML for Anki, its maths in MathJax delimiters."""
    parts, last = [], 0
    for span in _SPAN.finditer(text):
        parts.append(escape(text[last : span.start()].replace("\\$", "$")))
        if span["display"] is not None:
            parts.append("\\[" + escape(span["display"]) + "\\]")
        else:
            parts.append("\\(" + escape(span["inline"]) + "\\)")
        last = span.end()
    parts.append(escape(text[last:].replace("\\$", "$")))
    return "".join(parts)


def build_decks(cards: list[CardData]) -> list[genanki.Deck]:
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        deck = decks.get(card.area_slug)
        if deck is None:
            deck = decks[card.area_slug] = genanki.Deck(
                stable_id("deck", card.area_slug), f"{DECK_PREFIX}::{card.area_name}"
            )
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[for_anki(card.prompt), for_anki(card.answer), escape(card.concept_title)],
                guid=note_guid(card.concept_slug, card.key),
                tags=["mathpath", card.concept_slug],
            )
        )
    return list(decks.values())


def build_package(cards: list[CardData], timestamp: float) -> bytes:
    """The .apkg bytes: a zip holding the SQLite collection Anki imports."""
    package = genanki.Package(build_decks(cards))
    with tempfile.TemporaryDirectory() as folder:
        # genanki's own write_to_file leaves its temporary database behind; this does not.
        database = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(database)
        try:
            package.write_to_db(connection.cursor(), timestamp, _ids(timestamp))
            connection.commit()
        finally:
            connection.close()
        archive = Path(folder) / "deck.apkg"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(database, "collection.anki2")
            out.writestr("media", "{}")
        return archive.read_bytes()


def _ids(timestamp: float):
    start = int(timestamp * 1000)
    while True:
        yield start
        start += 1
