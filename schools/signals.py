"""Keep each organisation's page, group and collection in step with the registry row, and end
the sessions of an account that is deactivated."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from cms.auth import end_sessions_of

from .models import Organisation
from .services import defer_provisioning, provision_organisation


@receiver(post_save, sender=Organisation, dispatch_uid="schools.provision_organisation")
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:  # loading fixtures: the related rows come from the fixture too
        return
    if created and defer_provisioning(instance):
        return  # a registry import provisions its new organisations together
    provision_organisation(instance)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="schools.end_sessions_on_deactivation")
def account_activation_changed(sender, instance, raw=False, **kwargs):
    """A deactivated account's sessions end for good: reactivating it must not revive them."""
    if raw or instance.pk is None or instance.is_active:
        return
    if sender.objects.filter(pk=instance.pk, is_active=True).exists():
        end_sessions_of(instance.pk)
