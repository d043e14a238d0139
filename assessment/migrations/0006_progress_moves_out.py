"""The progress models move to the progress app; the roadmap stops storing what it derives.

- Progress, ProgressEvent, Review, Focus, Note, CalendarToken and ExerciseSuggestion now
  belong to the progress app (progress/0001). Their tables keep their names, so this side
  only forgets them: no data moves.
- A roadmap entry no longer mirrors "skipped" (it is the learner's progress status), and
  stages no longer store weeks and dates (drawn from the entries each time they are shown).
- The status change is Python now: the PL/pgSQL function of 0004 goes.
"""

from django.db import migrations

DROP_FUNCTION = """
DROP FUNCTION IF EXISTS assessment_change_status(
    bigint, text, boolean, text, text, timestamptz, date[], integer[], text
);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0005_note_text_html'),
        ('progress', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='calendartoken',
                    name='calendar_one_live',
                ),
                migrations.RemoveConstraint(
                    model_name='exercisesuggestion',
                    name='exercise_user_resource_unique',
                ),
                migrations.RemoveConstraint(
                    model_name='focus',
                    name='focus_one_open',
                ),
                migrations.RemoveConstraint(
                    model_name='note',
                    name='note_user_resource_unique',
                ),
                migrations.RemoveConstraint(
                    model_name='progress',
                    name='progress_user_resource_unique',
                ),
                migrations.RemoveConstraint(
                    model_name='progress',
                    name='progress_status_valid',
                ),
                migrations.RemoveIndex(
                    model_name='progressevent',
                    name='progress_event_user_at',
                ),
                migrations.RemoveIndex(
                    model_name='review',
                    name='review_pending_user_due',
                ),
                migrations.RemoveField(
                    model_name='exercisesuggestion',
                    name='resource',
                ),
                migrations.RemoveField(
                    model_name='exercisesuggestion',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='focus',
                    name='resource',
                ),
                migrations.RemoveField(
                    model_name='focus',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='note',
                    name='resource',
                ),
                migrations.RemoveField(
                    model_name='note',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='progress',
                    name='resource',
                ),
                migrations.RemoveField(
                    model_name='progress',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='progressevent',
                    name='resource',
                ),
                migrations.RemoveField(
                    model_name='progressevent',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='resource',
                ),
                migrations.RemoveField(
                    model_name='review',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='CalendarToken',
                ),
                migrations.DeleteModel(
                    name='ExerciseSuggestion',
                ),
                migrations.DeleteModel(
                    name='Focus',
                ),
                migrations.DeleteModel(
                    name='Note',
                ),
                migrations.DeleteModel(
                    name='Progress',
                ),
                migrations.DeleteModel(
                    name='ProgressEvent',
                ),
                migrations.DeleteModel(
                    name='Review',
                ),
            ],
        ),
        migrations.RemoveField(
            model_name='roadmap',
            name='finishes_on',
        ),
        migrations.RemoveField(
            model_name='roadmapentry',
            name='skip_reason',
        ),
        migrations.RemoveField(
            model_name='roadmapentry',
            name='skipped',
        ),
        migrations.RemoveField(
            model_name='roadmapstage',
            name='finishes_on',
        ),
        migrations.RemoveField(
            model_name='roadmapstage',
            name='starts_on',
        ),
        migrations.RemoveField(
            model_name='roadmapstage',
            name='weeks',
        ),
        migrations.RunSQL(DROP_FUNCTION, migrations.RunSQL.noop),
    ]
