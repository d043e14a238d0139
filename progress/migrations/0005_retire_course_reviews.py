"""Retire the reviews of whole resources: reviews are of the concepts' recall cards now.

The pending ones (nothing to recall, only "how well did it stick?") are removed; the rated
ones stay, as the learner's history, and their export keeps listing them under "reviews".
A learner's cards come from the resources they start or finish from now on.
"""

from django.db import migrations


def drop_pending(apps, schema_editor):
    Review = apps.get_model("progress", "Review")
    Review.objects.filter(done_at__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [("progress", "0004_cards")]

    operations = [migrations.RunPython(drop_pending, migrations.RunPython.noop)]
