"""Store each note's cleaned HTML beside its text, rendered once (by the notes renderer of the day).

Pages used to render the Markdown on every view with Python-Markdown, which is quadratic in
'[' characters (docs/security.md). Existing notes are rendered here, once.
"""

from django.db import migrations, models

BATCH = 500


def render_existing_notes(apps, schema_editor):
    # The project's renderer, not a frozen copy: the stored HTML must be what a save
    # would store today.
    from progress.notes import render_markdown

    Note = apps.get_model("assessment", "Note")
    batch = []
    for note in Note.objects.only("id", "text").iterator(chunk_size=BATCH):
        note.text_html = str(render_markdown(note.text))
        batch.append(note)
        if len(batch) == BATCH:
            Note.objects.bulk_update(batch, ["text_html"])
            batch = []
    if batch:
        Note.objects.bulk_update(batch, ["text_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_change_status_function"),
    ]

    operations = [
        migrations.AddField(
            model_name="note",
            name="text_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(render_existing_notes, migrations.RunPython.noop),
    ]
