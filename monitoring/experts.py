"""Experts proposed by municipal coordinators, and the materials coordinators hand to experts.

Status flow (``Expert.Status``)::

    (coordinator) ──propose──▶ proposed ──approve──▶ approved   (assignable, gets a login)
                                  │
                                  └──────reject────▶ rejected   (a reason is required)

- ``propose`` is a coordinator's, for one of their municipalities only. A person already
  known (the same e-mail, or the same full name at the same employer) among experts that are
  proposed or approved is refused with a message naming the existing record.
- ``approve`` and ``reject`` are the operator's editors' (``DECIDE_PERMISSION``), never the
  proposer's, even an editor who proposed it as a coordinator. Approval makes the expert's
  login (or links the existing one with that e-mail) and mails a set-password link.
- Only approved experts are assignable (``ExpertAssignment.clean``); the conflict-of-interest
  rule applies on assignment as before.
- ``mark_materials`` records the day the coordinator handed the printed package over to the
  expert, for assignments in the coordinator's municipalities only.

Every change runs in a transaction on locked rows; refusals raise ``ExpertError`` with a
Russian message for the user.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from registry.access import coordinated_municipalities
from registry.models import Municipality

from .models import Expert, ExpertAssignment

# Granted to the operator's editors by migration monitoring/0002.
DECIDE_PERMISSION = "monitoring.change_expert"
REJECTION_REASON_MAX = 2000


class ExpertError(Exception):
    """A refused operation; the message is Russian and meant for the user."""


def _normalised(text):
    return " ".join((text or "").split())


def duplicate_of(*, full_name, email, employer=None, employer_name=""):
    """The proposed or approved expert this person already is, or None: the same e-mail (of
    the record or of its login), or the same full name at the same employer."""
    candidates = Expert.objects.exclude(status=Expert.Status.REJECTED)
    email = (email or "").strip()
    if email:
        found = candidates.filter(Q(email__iexact=email) | Q(user__email__iexact=email)).first()
        if found is not None:
            return found
    # Names are compared in Python: the database's case-insensitive match may be ASCII-only
    # (SQLite), and a region has a few hundred experts, not thousands.
    name = _normalised(full_name).casefold()
    if employer is not None:
        same_employer = candidates.filter(employer=employer)
    elif _normalised(employer_name):
        wanted = _normalised(employer_name).casefold()
        same_employer = [
            expert
            for expert in candidates.filter(employer__isnull=True)
            if _normalised(expert.employer_name).casefold() == wanted
        ]
    else:
        return None
    return next(
        (expert for expert in same_employer if _normalised(expert.full_name).casefold() == name),
        None,
    )


def duplicate_message(expert):
    return _("Такой эксперт уже есть (%(name)s, %(status)s): повторно предложить его нельзя.") % {
        "name": expert.full_name,
        "status": expert.get_status_display(),
    }


def propose(user, municipality, *, full_name, email, phone="", employer=None, employer_name=""):
    """A coordinator proposes an expert for ``municipality`` (one of theirs)."""
    if not coordinated_municipalities(user).filter(pk=municipality.pk).exists():
        raise ExpertError(_("Предлагать экспертов можно только для своего муниципалитета."))
    with transaction.atomic():
        # Two proposals of one person at once: the municipality's row serialises them (the
        # duplicate may also come from another municipality; then the check below sees it
        # once the other transaction has committed).
        Municipality.objects.select_for_update().get(pk=municipality.pk)
        existing = duplicate_of(
            full_name=full_name, email=email, employer=employer, employer_name=employer_name
        )
        if existing is not None:
            raise ExpertError(duplicate_message(existing))
        return Expert.objects.create(
            full_name=_normalised(full_name),
            email=email.strip().lower(),
            phone=phone.strip(),
            employer=employer,
            employer_name=_normalised(employer_name) if employer is None else employer.name,
            status=Expert.Status.PROPOSED,
            municipality=municipality,
            proposed_by=user,
            proposed_at=timezone.now(),
        )


def proposals_of(user):
    """The proposals made for ``user``'s municipalities, newest first."""
    return (
        Expert.objects.filter(municipality__in=coordinated_municipalities(user))
        .exclude(proposed_at__isnull=True)
        .select_related("municipality", "employer")
        .order_by("-proposed_at")
    )


def may_decide(user, expert):
    """Editors decide proposals; never the person who proposed it."""
    return (
        user.is_authenticated
        and user.has_perm(DECIDE_PERMISSION)
        and expert.proposed_by_id != user.pk
    )


def _locked_proposal(expert, user):
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if not may_decide(user, expert):
        raise ExpertError(_("Решение по этому предложению принимает другой редактор."))
    if expert.status != Expert.Status.PROPOSED:
        raise ExpertError(
            _("Решение уже принято: эксперт %(status)s.") % {"status": expert.get_status_display()}
        )
    return expert


def approve(expert, user):
    """Approve a proposal: the expert becomes assignable and gets a login."""
    with transaction.atomic():
        expert = _locked_proposal(expert, user)
        login, created = _login_for(expert)
        expert.user = login
        expert.status = Expert.Status.APPROVED
        expert.decided_by = user
        expert.decided_at = timezone.now()
        expert.rejection_reason = ""
        expert.save()
        if created:
            transaction.on_commit(lambda: send_set_password_email(expert))
    return expert


def reject(expert, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ExpertError(_("Укажите причину отклонения: её увидит координатор."))
    if len(reason) > REJECTION_REASON_MAX:
        raise ExpertError(
            _("Причина отклонения длиннее %(n)s знаков.") % {"n": REJECTION_REASON_MAX}
        )
    with transaction.atomic():
        expert = _locked_proposal(expert, user)
        expert.status = Expert.Status.REJECTED
        expert.decided_by = user
        expert.decided_at = timezone.now()
        expert.rejection_reason = reason
        expert.save()
    return expert


def _login_for(expert):
    """(user, created): the login with the expert's e-mail that is nobody's expert yet, or a
    new one without a usable password (its owner sets one from the e-mailed link)."""
    User = get_user_model()
    existing = User.objects.filter(email__iexact=expert.email, expert__isnull=True).first()
    if existing is not None:
        return existing, False
    if User.objects.filter(username__iexact=expert.email).exists():
        raise ExpertError(
            _("Учётная запись %(email)s уже занята другим экспертом.") % {"email": expert.email}
        )
    first_name, _space, last_name = expert.full_name.partition(" ")
    user = User(
        username=expert.email[:150],
        email=expert.email,
        first_name=first_name[:150],
        last_name=last_name[:150],
    )
    user.set_unusable_password()
    user.save()
    return user, True


def send_set_password_email(expert):
    uid = urlsafe_base64_encode(force_bytes(expert.user.pk))
    token = default_token_generator.make_token(expert.user)
    path = reverse("wagtailadmin_password_reset_confirm", args=[uid, token])
    send_mail(
        subject=_("Доступ к порталу независимой оценки: эксперт"),
        message=_(
            "Здравствуйте, %(name)s!\n\n"
            "Вас утвердили независимым экспертом на портале независимой оценки качества "
            "условий. Назначения, листы наблюдения и материалы для печати будут в личном "
            "кабинете.\n\n"
            "Логин: %(username)s\n"
            "Задайте пароль по ссылке (она действует несколько дней):\n%(url)s\n"
        )
        % {
            "name": expert.full_name,
            "username": expert.user.username,
            "url": f"{settings.WAGTAILADMIN_BASE_URL}{path}",
        },
        from_email=None,
        recipient_list=[expert.email],
    )


def coordinated_assignments(user):
    """Expert assignments at organisations of ``user``'s municipalities."""
    return ExpertAssignment.objects.filter(
        organisation__municipality__in=coordinated_municipalities(user)
    )


def mark_materials(assignment, user, handed_over_on, today=None):
    """Record (or, with None, clear) the day the materials were handed to the expert."""
    today = today or timezone.localdate()
    if handed_over_on is not None and handed_over_on > today:
        raise ExpertError(_("Дата передачи материалов не может быть в будущем."))
    with transaction.atomic():
        assignment = coordinated_assignments(user).select_for_update().get(pk=assignment.pk)
        assignment.materials_handed_over_on = handed_over_on
        assignment.save(update_fields=["materials_handed_over_on"])
    return assignment
