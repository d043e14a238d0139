"""Create the shared cache table as part of migrate.

Rate-limit counters live in this cache, so it must exist before the first log-in on every
fresh database, including the test database, without anyone remembering createcachetable.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
