"""Paper and interview questionnaires: batches, typing the answers in, and catching a batch
typed in twice.

A **batch** (``PaperBatch``) is a pile of printed sheets of one organisation's respondent group
in one campaign (or a series of interviews), under a short code printed on every sheet. The
operator's editors, interviewers (any user given ``surveys.enter_paper_responses``) and the
organisation's own staff create batches and print their sheets; only the operator's people
type the answers in, and never for their own organisation: a school typing its own sheets
could fill its own questionnaires (``may_enter_batch``).

**Entry** (``enter_response``) stores one sheet per call, in one transaction, with the batch's
row locked so that two typists of one batch number their sheets in one order. The answers go
through the online form's validation and routing (``forms.PaperEntryForm`` is the online
``SurveyForm`` with one-key fields); the response takes its campaign, organisation, audience
and mode from the batch and nothing about the typist (the batch records who created it).
Paper answers are not subject to the per-address limits of online answers
(``services.review_reason``): staff type them from one computer by design, and the sheets, not
the network, are the evidence.

**Duplicate batch entry** — the rule, stated honestly:

1. *Over the expected count.* When the batch names how many sheets it holds, every sheet typed
   beyond that number (counting the batch's sheets not rejected) is stored **held for review**
   (status «на проверке», reason ``REASON_OVER_EXPECTED``).
2. *A repeated run.* When the last ``REPEAT_RUN`` sheets typed (the new one included) have,
   in order, exactly the answers and suggestion of ``REPEAT_RUN`` consecutive sheets typed
   earlier in the same batch (the two runs not overlapping), the pile is most likely being
   typed a second time: the new sheet and the rest of its run are **held for review**
   (``REASON_REPEATED_RUN``), and so is every further sheet that continues the repeat. A run
   made of one and the same answer set proves nothing (many respondents answer «Да»
   throughout), so such a run never counts as a repeat; there the expected count is the guard.

Nothing is ever dropped: a held sheet is stored, excluded from coverage and ratings (which
count accepted responses only) until an editor accepts it or rejects it, on the batch's page
or in the review of flagged responses. The typist sees the warning at once on the entry screen.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.access import organisation_of
from registry.models import REGISTRY_PERMISSION

from .models import (
    ENTER_PAPER_PERMISSION,
    PAPER_BATCH_CODE_LENGTH,
    YES_NO_KEYS,
    PaperBatch,
    Response,
    ResponseMode,
    campaign_for,
)

# No 0/O, 1/I/L: a code is read off paper and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# Sheets collected on the campaign's last day still have to be typed in.
ENTRY_DAYS_AFTER_CLOSE = 10
REPEAT_RUN = 3
REASON_OVER_EXPECTED = "сверх ожидаемого числа анкет пачки"
REASON_REPEATED_RUN = "повтор анкет, уже введённых в эту пачку"
PAPER_NONCE_PREFIX = "paper-"


class AlreadyEntered(Exception):
    """This entry form was already saved (a second Enter, a resent form)."""


# --- Who may do what ---------------------------------------------------------------------


def is_editor(user):
    return user.has_perm(REGISTRY_PERMISSION)


def may_enter(user):
    """Operator's staff and interviewers: they type answers in (for organisations not theirs)."""
    return user.is_authenticated and user.has_perm(ENTER_PAPER_PERMISSION)


def may_enter_batch(user, batch):
    """Never a school's own staff for their own school, whatever permissions they hold."""
    own = organisation_of(user)
    return may_enter(user) and (own is None or own.pk != batch.organisation_id)


def may_decide(user):
    """Accepting or rejecting held sheets is the editors' decision."""
    return is_editor(user)


def visible_batches(user):
    """Every batch for editors and those who type answers in; the batches of their own
    organisation for its staff; nothing for anyone else."""
    batches = PaperBatch.objects.select_related("campaign", "organisation__municipality")
    if is_editor(user) or may_enter(user):
        return batches
    own = organisation_of(user)
    if own is not None:
        return batches.filter(organisation=own)
    return batches.none()


def may_use_paper(user):
    return is_editor(user) or may_enter(user) or organisation_of(user) is not None


# --- Batches -----------------------------------------------------------------------------


def new_batch_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(PAPER_BATCH_CODE_LENGTH))


def normalise_code(text):
    """A typed code as stored: dashes, spaces and letter case do not matter."""
    return "".join(text.split()).replace("-", "").upper()[: PAPER_BATCH_CODE_LENGTH + 4]


def create_batch(*, organisation, audience, mode, created_by, expected_count=None):
    """A new batch for ``organisation``'s group at ``audience`` in its open campaign.

    Raises ValidationError (in Russian) outside a campaign or for a group the organisation's
    kind does not have."""
    if mode not in (ResponseMode.PAPER, ResponseMode.INTERVIEW):
        raise ValidationError(_("Неизвестный способ анкетирования."))
    campaign = campaign_for(organisation)
    if campaign is None:
        raise ValidationError(
            _("У организации сейчас нет открытой кампании анкетирования: пачку создать нельзя.")
        )
    if campaign.group_for(organisation, audience) is None:
        raise ValidationError(_("У организаций этого типа нет такой группы респондентов."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return PaperBatch.objects.create(
                    campaign=campaign,
                    organisation=organisation,
                    audience=audience,
                    mode=mode,
                    expected_count=expected_count,
                    created_by=created_by,
                    code=new_batch_code(),
                )
        except IntegrityError:
            continue  # a code already taken (one in 31**8): draw another
    raise ValidationError(_("Не удалось выдать код пачки. Попробуйте ещё раз."))


def batch_group(batch):
    """The respondent group the batch's sheets are printed for (None if its campaign's
    methodology no longer has it)."""
    return batch.campaign.group_for(batch.organisation, batch.audience)


def entry_open(batch, now=None):
    """True from the campaign's opening until ENTRY_DAYS_AFTER_CLOSE days after its close."""
    now = now or timezone.now()
    campaign = batch.campaign
    return campaign.opens_at <= now < campaign.closes_at + timedelta(days=ENTRY_DAYS_AFTER_CLOSE)


# --- Entry -------------------------------------------------------------------------------


@dataclass
class EntryResult:
    response: Response
    number: int  # the sheet's place in the batch (sheets not rejected)
    reasons: list = field(default_factory=list)  # why it is held for review ([] = accepted)
    also_held: int = 0  # earlier sheets of the repeated run now held too


def signature(answers, suggestion):
    """What two sheets must share to be the same sheet: every answer and the suggestion."""
    return (*(answers.get(key) for key in YES_NO_KEYS), suggestion.strip())


def _batch_sheets(batch):
    """(pk, status, signature) of the batch's sheets not rejected, in the order typed."""
    rows = (
        Response.objects.filter(batch=batch)
        .exclude(status=Response.Status.REJECTED)
        .order_by("pk")
        .values_list("pk", "status", *YES_NO_KEYS, "suggestion")
    )
    return [(row[0], row[1], (*row[2 : 2 + len(YES_NO_KEYS)], row[-1].strip())) for row in rows]


def repeated_run(signatures):
    """True when the last REPEAT_RUN signatures repeat, in order, an earlier run of the same
    length that ends before this one starts, and are not all one and the same answer set."""
    n = len(signatures)
    if n < 2 * REPEAT_RUN:
        return False
    tail = signatures[n - REPEAT_RUN :]
    if len(set(tail)) == 1:
        return False
    return any(
        signatures[start : start + REPEAT_RUN] == tail for start in range(n - 2 * REPEAT_RUN + 1)
    )


def enter_response(batch, questionnaire, cleaned, nonce, now=None):
    """Store one typed sheet of ``batch``; raises AlreadyEntered for a form saved before.

    ``cleaned`` is ``PaperEntryForm.cleaned_data`` (answers already routed and validated)."""
    now = now or timezone.now()
    answers, suggestion = cleaned["answers"], cleaned["suggestion"]
    with transaction.atomic():
        batch = PaperBatch.objects.select_for_update().get(pk=batch.pk)
        if Response.objects.filter(form_nonce=PAPER_NONCE_PREFIX + nonce).exists():
            raise AlreadyEntered
        sheets = _batch_sheets(batch)
        reasons, run_ids = [], []
        if batch.expected_count is not None and len(sheets) >= batch.expected_count:
            reasons.append(REASON_OVER_EXPECTED)
        signatures = [item[2] for item in sheets] + [signature(answers, suggestion)]
        if repeated_run(signatures):
            reasons.append(REASON_REPEATED_RUN)
            run_ids = [
                pk
                for pk, status, _signature in sheets[len(sheets) - (REPEAT_RUN - 1) :]
                if status == Response.Status.ACCEPTED
            ]
        response = Response.objects.create(
            campaign_id=batch.campaign_id,
            organisation_id=batch.organisation_id,
            audience=batch.audience,
            questionnaire=questionnaire,
            submitted_on=timezone.localdate(now),
            # Not subject to the per-address limits (see the module's docstring).
            status=Response.Status.FLAGGED if reasons else Response.Status.ACCEPTED,
            flag_reason="; ".join(reasons),
            mode=batch.mode,
            batch=batch,
            form_nonce=PAPER_NONCE_PREFIX + nonce,
            suggestion=suggestion,
            **answers,
        )
        also_held = Response.objects.filter(pk__in=run_ids).update(
            status=Response.Status.FLAGGED, flag_reason=REASON_REPEATED_RUN
        )
    return EntryResult(
        response=response, number=len(sheets) + 1, reasons=reasons, also_held=also_held
    )


# --- A batch's page ----------------------------------------------------------------------


@dataclass
class BatchSummary:
    typed: int  # sheets not rejected
    held: int
    rejected: int
    expected: int | None


def answer_line(response):
    """A sheet's answers as typed on the entry screen: 1 «Да», 2 «Нет», 0 skipped."""
    keys = {True: "1", False: "2", None: "0"}
    return "".join(keys[getattr(response, key)] for key in YES_NO_KEYS)


def summary(batch):
    counts = dict.fromkeys(Response.Status.values, 0)
    rows = (
        Response.objects.filter(batch=batch)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    counts.update(dict(rows))
    return BatchSummary(
        typed=counts[Response.Status.ACCEPTED] + counts[Response.Status.FLAGGED],
        held=counts[Response.Status.FLAGGED],
        rejected=counts[Response.Status.REJECTED],
        expected=batch.expected_count,
    )


def decide(batch, response_ids, accept):
    """An editor's decision on sheets of ``batch``: accept held ones (they count from now on)
    or reject any (excluded from coverage and ratings, kept on record). Returns how many
    changed."""
    sheets = Response.objects.filter(batch=batch, pk__in=response_ids)
    if accept:
        # The reason stays on record, as in the review of flagged responses.
        return sheets.filter(status=Response.Status.FLAGGED).update(status=Response.Status.ACCEPTED)
    return sheets.exclude(status=Response.Status.REJECTED).update(status=Response.Status.REJECTED)
