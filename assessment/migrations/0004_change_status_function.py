"""Once a status change written as a PL/pgSQL function, since retired (see 0006).

The change is now one ORM transaction in progress.models (ProgressQuerySet.change). This
migration's operation is gone so that a new database never has the function; 0006 removes
it from a database that has it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_assessment_submission_key"),
        ("accounts", "0003_pages_version"),
        ("catalog", "0003_level_order"),
    ]

    operations = []
