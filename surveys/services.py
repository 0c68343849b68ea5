"""Accepting a questionnaire: one short transaction, and duplicate control that flags rather
than drops. Saving a campaign (the one path that checks that no organisation is in two open
campaigns) and copying a methodology version's respondent groups.

Duplicate control keeps no personal data: per-address counters are keyed by
HMAC(daily random key, address); the daily keys live only in the cache and expire within
48 hours, after which nobody can tell which address a counter belonged to (152-ФЗ). Responses
that look like a burst from one address are stored but held for review; an organised session
registered by the school lifts that limit for its window.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock_campaigns
from core.memo import MISSING, Memo
from core.throttle import increment

from .models import OrganisedSession, RespondentGroup, Response

DAILY_KEY_TTL = 48 * 60 * 60
COUNTER_TTL = 2 * 60 * 60

REASON_BURST = "много ответов с одного адреса"
REASON_HONEYPOT = "заполнено скрытое поле"
REASON_TOO_FAST = "анкета заполнена слишком быстро"
REASON_SAFE_MODE = "защита от повторов недоступна (кэш)"
REASON_SESSION_REJECTED = "организованное анкетирование отклонено"


class AlreadyAnswered(Exception):
    """This form was already submitted."""


@dataclass(frozen=True)
class Submission:
    campaign: object
    organisation: object
    audience: str
    questionnaire: object
    answers: dict
    suggestion: str
    nonce: str
    honeypot_filled: bool
    seconds_to_fill: float


daily_keys = Memo("daily HMAC keys")


def daily_key(today):
    """Today's random HMAC key, shared by all workers through the cache (and remembered by
    this process for the day); None when the cache cannot keep it."""
    name = f"surveys:daily-key:{today.isoformat()}"
    key = daily_keys.lookup(name)
    if key is MISSING:
        key = cache.get(name)
        if key is None:
            cache.add(name, secrets.token_hex(32), DAILY_KEY_TTL)
            key = cache.get(name)
        if key is not None:
            daily_keys.forget()  # yesterday's key goes: it must not outlive the cache's copy
            daily_keys.store(name, key)
    return key


def count_from_address(submission, address, now):
    """Increment and return this hour's count of submissions for the school from the address,
    or None when the cache is unavailable."""
    key = daily_key(now.date())
    if key is None:
        return None
    digest = hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
    counter = (
        f"surveys:ip:{submission.campaign.pk}:{submission.organisation.pk}:{digest}:{now:%Y%m%d%H}"
    )
    return increment(counter, COUNTER_TTL)


def admitting_session(submission, now):
    """The approved organised session running now at the school with room left, or None."""
    session = (
        OrganisedSession.objects.filter(
            campaign=submission.campaign,
            organisation=submission.organisation,
            status=OrganisedSession.Status.APPROVED,
            starts_at__lte=now,
            ends_at__gte=now,
        )
        .order_by("-expected_participants")
        .first()
    )
    if session is None:
        return None
    # Responses are dated, not timed, so the session's count is the day's responses of the
    # school: a cautious bound (it can only make the exemption end early, never late).
    taken = Response.objects.filter(
        campaign=submission.campaign,
        organisation=submission.organisation,
        submitted_on=timezone.localdate(now),
    ).count()
    return session if taken < session.expected_participants else None


def review_reason(submission, address, now):
    """Why this submission should be held for review ("" to accept it), and the organised
    session that admits it past the address limit (or None)."""
    if submission.honeypot_filled:
        return REASON_HONEYPOT, None
    if submission.seconds_to_fill < settings.SURVEY_MIN_FILL_SECONDS:
        return REASON_TOO_FAST, None
    count = count_from_address(submission, address, now)
    if count is None:
        return REASON_SAFE_MODE, None
    if count > settings.SURVEY_MAX_PER_ADDRESS_PER_HOUR:
        session = admitting_session(submission, now)
        return ("", session) if session is not None else (REASON_BURST, None)
    return "", None


def submit(submission, address, now=None):
    """Store one response; raises AlreadyAnswered if this form was submitted before."""
    now = now or timezone.now()
    reason, session = review_reason(submission, address, now)
    values = {
        "campaign_id": submission.campaign.pk,
        "organisation_id": submission.organisation.pk,
        "audience": submission.audience,
        "questionnaire_id": submission.questionnaire.pk,
        "submitted_on": timezone.localdate(now),
        "status": Response.Status.FLAGGED if reason else Response.Status.ACCEPTED,
        "flag_reason": reason,
        "session_id": session.pk if session is not None else None,
        "suggestion": submission.suggestion,
        "form_nonce": submission.nonce,
        **submission.answers,
    }
    try:
        if connection.in_atomic_block:
            # Inside a transaction a failed INSERT must not poison it: use a savepoint.
            with transaction.atomic():
                insert_response(values)
        else:
            # In autocommit one INSERT is atomic on its own; skip BEGIN/COMMIT round trips.
            insert_response(values)
    except IntegrityError as error:
        if Response.objects.filter(form_nonce=submission.nonce).exists():
            raise AlreadyAnswered from error
        raise


def approve_session(session, user, comment=""):
    """Lift the address limit for the session's window, and admit what it already held back:
    the school's answers of the session's days flagged only for coming from one address, up to
    the expected number."""
    with transaction.atomic():
        session = OrganisedSession.objects.select_for_update().get(pk=session.pk)
        _decide(session, OrganisedSession.Status.APPROVED, user, comment)
        room = session.expected_participants - session.admitted_responses.count()
        held = Response.objects.filter(
            campaign=session.campaign,
            organisation=session.organisation,
            status=Response.Status.FLAGGED,
            flag_reason=REASON_BURST,
            submitted_on__range=(
                timezone.localdate(session.starts_at),
                timezone.localdate(session.ends_at),
            ),
        ).order_by("pk")
        admitted = list(held.values_list("pk", flat=True)[: max(room, 0)])
        Response.objects.filter(pk__in=admitted).update(
            status=Response.Status.ACCEPTED, flag_reason="", session=session
        )
    return len(admitted)


def reject_session(session, user, comment=""):
    """No exemption for the session: the answers it admitted go back to review."""
    with transaction.atomic():
        session = OrganisedSession.objects.select_for_update().get(pk=session.pk)
        _decide(session, OrganisedSession.Status.REJECTED, user, comment)
        return session.admitted_responses.update(
            status=Response.Status.FLAGGED, flag_reason=REASON_SESSION_REJECTED
        )


def _decide(session, status, user, comment):
    session.status = status
    session.reviewed_by = user
    session.reviewed_at = timezone.now()
    session.review_comment = comment.strip()[:500]
    session.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])


prepared_insert = Memo("prepared response INSERT")


def insert_response(values):
    """One INSERT of a response with a statement prepared once per process.

    At a survey peak this is most of the database work of a request; compiling the ORM's
    INSERT for twenty columns cost more than running it. Columns come from the model, so the
    statement follows migrations; a column ``values`` leaves out gets its field's default."""
    sql, fields = prepared_insert.get(connection.vendor, _response_insert)
    params = [values[name] if name in values else field.get_default() for name, field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _response_insert():
    fields = [f for f in Response._meta.local_concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Response._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    return sql, [(f.attname, f) for f in fields]


def save_campaign(campaign, municipalities=None):
    """Validate and save ``campaign`` with its area, under the campaigns lock.

    ``municipalities`` replaces the campaign's area (an empty list: the whole region); None
    keeps the saved one. Raises ValidationError, naming the conflicting campaign, when an
    organisation would be in two open campaigns: the database cannot express the rule, so
    the admin, the demo and any other writer save through here."""
    with transaction.atomic():
        lock_campaigns()
        if municipalities is not None:
            municipalities = list(municipalities)
            campaign.planned_municipality_ids = {item.pk for item in municipalities}
        try:
            campaign.full_clean()
            campaign.save()
            if municipalities is not None:
                campaign.municipalities.set(municipalities)
        finally:
            campaign.planned_municipality_ids = None
    return campaign


def copy_respondent_groups(source_version, target_version):
    """Copy every respondent group of ``source_version`` to ``target_version`` (a new
    methodology version starts from the last one's groups, questionnaires included); returns
    how many were copied. Refuses a target that already has groups, so nothing is merged."""
    source_version, target_version = source_version.strip(), target_version.strip()
    if not target_version or source_version == target_version:
        raise ValidationError(_("Укажите код новой версии методики, отличный от исходного."))
    if RespondentGroup.objects.filter(methodology_version=target_version).exists():
        raise ValidationError(
            _("У версии «%(version)s» уже есть группы респондентов: правьте их по одной.")
            % {"version": target_version}
        )
    groups = list(RespondentGroup.objects.filter(methodology_version=source_version))
    if not groups:
        raise ValidationError(
            _("У версии «%(version)s» нет групп респондентов.") % {"version": source_version}
        )
    with transaction.atomic():
        for group in groups:
            group.pk = None
            group.methodology_version = target_version
            group.save()
    return len(groups)
