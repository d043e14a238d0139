"""Render every stored note again with the current renderer (cmark-gfm in safe mode).

Pages show the HTML stored on save; notes saved before the renderer changed would otherwise
keep the old renderer's HTML until their next save.
"""

from django.db import migrations


def rerender(apps, schema_editor):
    from progress.notes import render_markdown

    Note = apps.get_model("progress", "Note")
    notes = list(Note.objects.only("id", "text"))
    for note in notes:
        note.text_html = render_markdown(note.text)
    Note.objects.bulk_update(notes, ["text_html"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [("progress", "0001_initial")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]
