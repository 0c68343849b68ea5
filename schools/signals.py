"""Keep each organisation's page, group and collection in step with its registry row."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from registry.models import Organisation
from registry.signals import defer_while_in_bulk, organisations_created_in_bulk

from .provisioning import provision_organisation, provision_organisations


@receiver(post_save, sender=Organisation, dispatch_uid="schools.provision_organisation")
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:  # loading fixtures: the related rows come from the fixture too
        return
    if created and defer_while_in_bulk(instance):
        return  # a registry import provisions its new organisations together
    provision_organisation(instance)


@receiver(organisations_created_in_bulk, dispatch_uid="schools.provision_organisations")
def organisations_created(sender, organisations, **kwargs):
    provision_organisations(organisations)
