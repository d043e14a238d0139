"""Any change to the catalogue starts a new catalogue version (mathpath/pagecache.py).

Saves, deletes and m2m changes arrive here from the admin's forms, loadcatalog and the
shell; the admin's bulk actions, which use QuerySet.update(), call catalogue_changed()
themselves. The new version is taken after the transaction commits, so no page can be
drawn from the old rows under the new version.
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.models import Domain, Resource
from mathpath.pagecache import catalogue_changed


@receiver(post_save, sender=Resource)
@receiver(post_delete, sender=Resource)
@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
@receiver(m2m_changed, sender=Resource.domains.through)
@receiver(m2m_changed, sender=Resource.prerequisites.through)
def catalogue_edited(**kwargs):
    transaction.on_commit(catalogue_changed)
