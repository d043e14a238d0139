"""Migration 0005 renders the notes that existed before it, once, into Note.text_html."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("assessment", "0004_change_status_function")]
AFTER = [("assessment", "0005_note_text_html")]


@pytest.mark.django_db(transaction=True)
def test_existing_notes_get_their_html_when_the_column_arrives(user, catalogue):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_state = executor.loader.project_state(BEFORE).apps
        OldNote = old_state.get_model("assessment", "Note")
        OldNote.objects.create(
            user_id=user.pk, resource_id=catalogue["arxiv"].pk, text="**kept** <b>typed</b>"
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new_state = executor.loader.project_state(AFTER).apps
        note = new_state.get_model("assessment", "Note").objects.get()
        assert note.text_html == "<p><strong>kept</strong> typed</p>\n"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
