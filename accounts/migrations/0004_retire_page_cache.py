"""Pages are drawn on every request now: drop the per-user version and the pages cache table.

IF EXISTS because 0003, which made them, no longer does on a new database.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_pages_version'),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE accounts_user DROP COLUMN IF EXISTS pages_version;"
            "DROP TABLE IF EXISTS mathpath_page_cache;",
            migrations.RunSQL.noop,
        ),
    ]
