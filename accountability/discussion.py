"""The public discussion of a year's results: accepting proposals, holding the suspicious ones,
moderation and answers.

Status flow of an entry: every entry is stored PENDING, or HELD with its reason when it looks
like spam; an editor publishes (PENDING/HELD → PUBLISHED) or rejects it (→ REJECTED), and may
take a decision back the same way. Only PUBLISHED entries are ever shown to the public.
Answers: an editor answers any entry as the operator; the organisation's staff answer
published entries about their own organisation (``answer_entry`` checks through
``accountability.access``).

Anonymity follows the questionnaires' rules (docs/security.md, "Facts" and cases 5–10): no
account, the name optional, only the date stored; no address, user agent or session. Spam
control keeps nothing personal either: a per-address counter for the day is keyed by
HMAC(daily random key, address) — the same daily key as the questionnaires', which lives
only in the cache and expires within 48 hours. Suspicious entries are held, never dropped.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.throttle import increment
from registry.models import Organisation
from results.models import RatingResult
from surveys.services import daily_key

from .access import is_operator, organisation_of
from .models import Discussion, DiscussionEntry

# A person types a proposal in more than this many seconds; a script posts at once.
MIN_FILL_SECONDS = 5
# Entries from one address in one day before the next ones are held. A school computer class
# or a home router shares an address, so past the limit entries wait for a moderator.
MAX_ENTRIES_PER_ADDRESS_PER_DAY = 5
# More links than this in one text is how advertising reads.
MAX_LINKS = 2
# A day's counter outlives its day a little (entries near midnight), and never 48 hours.
COUNTER_TTL = 26 * 60 * 60

AUTHOR_NAME_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 3000
ANSWER_MAX_LENGTH = 5000

REASON_HONEYPOT = "заполнено скрытое поле"
REASON_TOO_FAST = "форма заполнена слишком быстро"
REASON_BURST = "много предложений с одного адреса за день"
REASON_LINKS = "много ссылок в тексте"
REASON_SAFE_MODE = "защита от повторов недоступна (кэш)"

# A link with its scheme or «www.», or a bare domain of the usual zones (one match per link).
LINK = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:ru|рф|su|com|net|org|info|biz|xyz|top|site|online)\b",
    re.IGNORECASE,
)


class DiscussionClosed(Exception):
    """The discussion does not accept entries now."""


@dataclass(frozen=True)
class Proposal:
    """What a visitor sent, already validated by the form."""

    discussion: Discussion
    text: str
    author_name: str = ""
    organisation: object = None
    honeypot_filled: bool = False
    # None when unknown (a caller other than the public form, e.g. the demo): not timed.
    seconds_to_fill: float | None = None


def is_open(discussion, today=None):
    """Open only while the editors keep it open and today is within its dates (if set)."""
    if discussion is None or not discussion.is_open:
        return False
    today = today or timezone.localdate()
    if discussion.opens_on and today < discussion.opens_on:
        return False
    return not (discussion.closes_on and today > discussion.closes_on)


def discussion_of(year):
    return Discussion.objects.filter(year=year).first()


def discussion_counting(year, organisation):
    """The year's discussion, or None, carrying ``published_about``: how many of its
    published entries name ``organisation`` (``published_entries(discussion,
    organisation).count()``, counted in the same query for the school page)."""
    return (
        Discussion.objects.filter(year=year)
        .annotate(
            published_about=Count(
                "entries",
                filter=Q(
                    entries__status=DiscussionEntry.Status.PUBLISHED,
                    entries__organisation=organisation,
                ),
            )
        )
        .order_by("pk")
        .first()
    )


def commentable_organisations(year):
    """Organisations one may comment on in ``year``: those with a published result."""
    return Organisation.objects.filter(
        pk__in=RatingResult.objects.public().filter(year=year).values("organisation_id")
    )


def count_links(text):
    return len(LINK.findall(text))


def count_from_address(discussion, address, now):
    """Increment and return today's count of entries from ``address`` in ``discussion``, or
    None when the cache is unavailable. The counter's name holds an HMAC of the address,
    never the address."""
    key = daily_key(timezone.localdate(now))
    if key is None:
        return None
    digest = hmac.new(key.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
    day = timezone.localdate(now)
    return increment(
        f"accountability:discussion:ip:{discussion.pk}:{digest}:{day:%Y%m%d}", COUNTER_TTL
    )


def review_reason(proposal, address, now):
    """Why this entry should be held for review ("" when nothing looks wrong)."""
    if proposal.honeypot_filled:
        return REASON_HONEYPOT
    if proposal.seconds_to_fill is not None and proposal.seconds_to_fill < MIN_FILL_SECONDS:
        return REASON_TOO_FAST
    if count_links(proposal.text) > MAX_LINKS:
        return REASON_LINKS
    if address is None:
        return ""  # not a visitor's request (the demo, a command): nothing to count
    count = count_from_address(proposal.discussion, address, now)
    if count is None:
        return REASON_SAFE_MODE
    if count > MAX_ENTRIES_PER_ADDRESS_PER_DAY:
        return REASON_BURST
    return ""


def submit_entry(proposal, address=None, now=None):
    """Store one entry, PENDING or HELD with its reason; raises ``DiscussionClosed`` when the
    discussion does not accept entries and ``ValidationError`` for an organisation without a
    published result that year. ``address`` is only counted, never stored."""
    now = now or timezone.now()
    discussion = proposal.discussion
    if not is_open(discussion, timezone.localdate(now)):
        raise DiscussionClosed
    organisation = proposal.organisation
    if (
        organisation is not None
        and not commentable_organisations(discussion.year).filter(pk=organisation.pk).exists()
    ):
        raise ValidationError(_("У этой организации нет опубликованных результатов этого года."))
    reason = review_reason(proposal, address, now)
    return DiscussionEntry.objects.create(
        discussion=discussion,
        organisation=organisation,
        author_name=proposal.author_name.strip()[:AUTHOR_NAME_MAX_LENGTH],
        text=proposal.text.strip(),
        submitted_on=timezone.localdate(now),
        status=DiscussionEntry.Status.HELD if reason else DiscussionEntry.Status.PENDING,
        held_reason=reason,
    )


def _moderate(entry, status, user):
    with transaction.atomic():
        entry = DiscussionEntry.objects.select_for_update().get(pk=entry.pk)
        entry.status = status
        entry.moderated_by = user
        entry.moderated_at = timezone.now()
        entry.save(update_fields=["status", "moderated_by", "moderated_at"])
    return entry


def publish_entry(entry, user):
    """Show the entry on the public pages (an editor's decision)."""
    return _moderate(entry, DiscussionEntry.Status.PUBLISHED, user)


def reject_entry(entry, user):
    """Never show the entry; it stays stored for the record."""
    return _moderate(entry, DiscussionEntry.Status.REJECTED, user)


def may_answer(user, entry):
    """Editors answer any entry as the operator; the organisation's staff answer published
    entries about their own organisation, unless the operator has answered already (the
    operator's answer is not the organisation's to replace)."""
    if is_operator(user):
        return True
    return (
        entry.organisation_id is not None
        and entry.status == DiscussionEntry.Status.PUBLISHED
        and entry.answered_by != DiscussionEntry.AnsweredBy.OPERATOR
        and getattr(organisation_of(user), "pk", None) == entry.organisation_id
    )


def answer_entry(entry, user, text):
    """Record ``user``'s answer: the operator's for editors, the organisation's for its staff.
    An empty text removes the answer. Raises PermissionDenied for anyone else."""
    if not may_answer(user, entry):
        raise PermissionDenied
    by = (
        DiscussionEntry.AnsweredBy.OPERATOR
        if is_operator(user)
        else DiscussionEntry.AnsweredBy.ORGANISATION
    )
    text = text.strip()
    with transaction.atomic():
        entry = DiscussionEntry.objects.select_for_update().get(pk=entry.pk)
        entry.answer = text
        entry.answered_by = by if text else ""
        entry.answered_at = timezone.now() if text else None
        entry.save(update_fields=["answer", "answered_by", "answered_at"])
    return entry


def published_entries(discussion, organisation=None):
    """What the public reads: published entries (of one organisation, if given), newest first."""
    if discussion is None:
        return DiscussionEntry.objects.none()
    entries = discussion.entries.filter(status=DiscussionEntry.Status.PUBLISHED)
    if organisation is not None:
        entries = entries.filter(organisation=organisation)
    return entries.select_related("discussion", "organisation").order_by("-submitted_on", "-pk")


def entries_for_organisation(organisation):
    """Every year's published entries about ``organisation`` (its staff's cabinet list)."""
    return (
        DiscussionEntry.objects.filter(
            organisation=organisation, status=DiscussionEntry.Status.PUBLISHED
        )
        .select_related("discussion")
        .order_by("-discussion__year", "-submitted_on", "-pk")
    )
