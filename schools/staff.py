"""Inviting school staff: an editor adds a person to a school, who gets a set-password link."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .provisioning import add_staff_member


def set_password_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


@transaction.atomic
def invite_staff_member(organisation, *, email, first_name="", last_name="", send_invitation=True):
    """Create (or reuse) the login for ``email`` and make it staff of ``organisation``.

    A new login has no usable password until its owner follows the link from the
    invitation; returns (user, created)."""
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        user = User(username=email[:150], email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        user.save()
    add_staff_member(organisation, user)
    if send_invitation:
        transaction.on_commit(lambda: send_invitation_email(organisation, user))
    return user, created


def send_invitation_email(organisation, user):
    school = organisation.short_name or organisation.name
    if user.first_name:
        greeting = _("Здравствуйте, %(name)s!") % {"name": user.first_name}
    else:
        greeting = _("Здравствуйте!")
    send_mail(
        subject=_("Доступ к порталу независимой оценки: %(school)s") % {"school": school},
        message=_(
            "%(greeting)s\n\n"
            "Вас добавили сотрудником организации «%(organisation)s» на портале независимой "
            "оценки качества условий. Вы сможете редактировать страницу организации и "
            "загружать её фотографии и документы; изменения публикуются после проверки.\n\n"
            "Логин: %(username)s\n"
            "Задайте пароль по ссылке (она действует несколько дней):\n%(url)s\n"
        )
        % {
            "greeting": greeting,
            "organisation": organisation.name,
            "username": user.username,
            "url": set_password_url(user),
        },
        from_email=None,
        recipient_list=[user.email],
    )


def remove_staff_member(organisation, user):
    user.groups.remove(organisation.staff_group)
