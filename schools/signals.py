"""Keep each organisation's page, group and collection in step with the registry row."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Organisation
from .services import defer_provisioning, provision_organisation


@receiver(post_save, sender=Organisation, dispatch_uid="schools.provision_organisation")
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:  # loading fixtures: the related rows come from the fixture too
        return
    if created and defer_provisioning(instance):
        return  # a registry import provisions its new organisations together
    provision_organisation(instance)
