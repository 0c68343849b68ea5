"""Keep each organisation's page, group and collection in step with the registry row, and end
the sessions of an account that is deactivated and the lockout of one whose password is new."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from cms.auth import end_sessions_of, unlock

from .models import Organisation
from .services import defer_provisioning, provision_organisation


@receiver(post_save, sender=Organisation, dispatch_uid="schools.provision_organisation")
def organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:  # loading fixtures: the related rows come from the fixture too
        return
    if created and defer_provisioning(instance):
        return  # a registry import provisions its new organisations together
    provision_organisation(instance)


@receiver(pre_save, sender=get_user_model(), dispatch_uid="schools.account_changed")
def account_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """A deactivated account's sessions end for good (reactivating must not revive them); a
    new password, set by its owner through the e-mailed reset link or by an administrator,
    lifts a sign-in lockout someone else's guesses caused."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"is_active", "password"} & set(update_fields):
        return  # e.g. last_login at every sign-in
    before = sender.objects.filter(pk=instance.pk).values("is_active", "password").first()
    if before is None:
        return
    if before["is_active"] and not instance.is_active:
        end_sessions_of(instance.pk)
    if before["password"] != instance.password:
        unlock(instance.get_username())
