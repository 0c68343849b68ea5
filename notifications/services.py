"""Sending what ``rules`` finds due, once per key and address; unsubscribing by signed link.

A message to one address goes through these states (``SentNotification.Status``)::

    (none) ──claim──▶ sending ──▶ sent
                         │
                         └──▶ failed ──claim on a later day (attempts left)──▶ sending …

- ``claim`` inserts the log row before anything is sent. The unique pair (key, e-mail) makes
  the insert fail for a second run, the same day or running at the same moment in another
  process, so that run sends nothing: never a duplicate. A failed row is taken back by a
  conditional UPDATE (only one process wins it) on a later day, while it has attempts left.
- A process killed between claim and send leaves the row «sending»: the message is then not
  sent rather than maybe sent twice; the log shows it.
- One address failing (refused recipient, SMTP down, missing attachment) marks its row failed
  and the run goes on with the next one; the connection is reopened after a failure.
- A recipient who left the message's category (``Unsubscription``, by address or by user)
  gets nothing and no row is written.

Every message has a plain-text and an HTML part rendered from
``notifications/email/<category>.txt|.html`` (subject: ``<category>_subject.txt``) in
Russian, absolute links, a signed unsubscribe link and the ``List-Unsubscribe`` header
(RFC 8058 one-click).
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import rules
from .models import Category, SentNotification, Unsubscription
from .rules import absolute_url

logger = logging.getLogger(__name__)

TOKEN_SALT = "notifications.unsubscribe"
ERROR_MAX_LENGTH = 1000
Status = SentNotification.Status


def normalise(email):
    return email.strip().lower()


@dataclass
class RunReport:
    sent: int = 0
    failed: int = 0
    already: int = 0  # claimed before: sent, being sent, or failed with no attempts left
    unsubscribed: int = 0
    # Dry run: (message, recipient) pairs that would be sent.
    planned: list = field(default_factory=list)


# --- Unsubscribing ----------------------------------------------------------------------------


def unsubscribe_token(notification):
    """The signed reference to a log row: the row names the category and the recipient, so
    no address travels in the link. It does not expire: an old e-mail's link still works."""
    return signing.dumps({"n": notification.pk}, salt=TOKEN_SALT, compress=True)


def read_token(token):
    """The log row a token refers to, or None for a forged, damaged or outdated token."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("n"), int):
        return None
    return SentNotification.objects.select_related("user").filter(pk=data["n"]).first()


def unsubscribe_urls(notification):
    """(confirmation page, one-click endpoint) of a message, absolute."""
    token = unsubscribe_token(notification)
    return (
        absolute_url(reverse("notifications_unsubscribe", args=[token])),
        absolute_url(reverse("notifications_unsubscribe_one_click", args=[token])),
    )


def _matching(notification):
    query = Q(email=notification.email)
    if notification.user_id is not None:
        query |= Q(user_id=notification.user_id)
    return Unsubscription.objects.filter(query, category=notification.category)


def is_unsubscribed(notification):
    return _matching(notification).exists()


def unsubscribe(notification):
    """Stop the category of ``notification`` for its address (and user). Idempotent."""
    Unsubscription.objects.get_or_create(
        email=notification.email,
        category=notification.category,
        defaults={"user_id": notification.user_id},
    )


def resubscribe(notification):
    _matching(notification).delete()


def subscriptions_of(user):
    """[(category, label, subscribed)] for a signed-in user (the cabinet's settings page)."""
    left = set(
        Unsubscription.objects.filter(
            Q(user=user) | Q(email=normalise(user.email or "-"))
        ).values_list("category", flat=True)
    )
    return [(value, label, value not in left) for value, label in Category.choices]


def set_subscriptions(user, categories):
    """Keep exactly ``categories`` for ``user``; the others are left."""
    email = normalise(user.email or "")
    with transaction.atomic():
        Unsubscription.objects.filter(
            Q(user=user) | Q(email=email), category__in=categories
        ).delete()
        for value in set(Category.values) - set(categories):
            if email:
                Unsubscription.objects.update_or_create(
                    email=email, category=value, defaults={"user": user}
                )


class LeftCategories:
    """Who left which category, read once per run."""

    def __init__(self):
        self.by_email = set()
        self.by_user = set()
        for category, email, user_id in Unsubscription.objects.values_list(
            "category", "email", "user_id"
        ):
            self.by_email.add((category, email))
            if user_id is not None:
                self.by_user.add((category, user_id))

    def __contains__(self, pair):
        category, recipient = pair
        user_id = getattr(recipient.user, "pk", None)
        return (category, normalise(recipient.email)) in self.by_email or (
            user_id is not None and (category, user_id) in self.by_user
        )


# --- Sending ----------------------------------------------------------------------------------


def claim(message, recipient, today):
    """The log row this run may send, or None when another run has it."""
    email = normalise(recipient.email)
    try:
        with transaction.atomic():
            return SentNotification.objects.create(
                category=message.category,
                key=message.key,
                user=recipient.user,
                email=email,
                day=today,
            )
    except IntegrityError:
        pass
    # Retried on a later day only: a second run the same day sends nothing at all.
    taken = SentNotification.objects.filter(
        key=message.key,
        email=email,
        status=Status.FAILED,
        day__lt=today,
        attempts__lt=settings.NOTIFICATIONS_MAX_ATTEMPTS,
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, day=today, error="")
    if taken:
        return SentNotification.objects.get(key=message.key, email=email)
    return None


def render(message, recipient, notification):
    """The e-mail of ``message`` to ``recipient``, logged as ``notification``."""
    page_url, one_click_url = unsubscribe_urls(notification)
    context = {
        **message.context,
        "recipient": recipient,
        "category_label": Category(message.category).label,
        "unsubscribe_url": page_url,
        "portal_url": absolute_url("/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    name = f"notifications/email/{message.category}"
    with translation.override(settings.LANGUAGE_CODE):
        # Header-safe: one line whatever the template or the data hold.
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{name}.txt", context)
        html = render_to_string(f"{name}.html", context)
    email = EmailMultiAlternatives(
        subject,
        text,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{one_click_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    email.attach_alternative(html, "text/html")
    for filename, stored_file, mimetype in message.attachments:
        with stored_file.storage.open(stored_file.name, "rb") as handle:
            email.attach(filename, handle.read(), mimetype)
    return email


def deliver(message, recipient, notification, connection):
    """Send one claimed message; a failure is logged on its row, never raised."""
    try:
        email = render(message, recipient, notification)
        notification.subject = email.subject[:300]
        email.connection = connection
        email.send()
    except Exception as error:  # one bad address must not stop the run
        notification.status = Status.FAILED
        notification.error = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
        logger.warning("Notification %s to row %s failed: %s", message.key, notification.pk, error)
        # The SMTP session may be broken; the next send opens a new one.
        connection.close()
    else:
        notification.status = Status.SENT
    notification.save(update_fields=["subject", "status", "error", "updated_at"])
    return notification.status == Status.SENT


def already_claimed(message, recipient, today):
    """For a dry run: whether a real run today would find the row taken."""
    rows = SentNotification.objects.filter(key=message.key, email=normalise(recipient.email))
    retriable = rows.filter(
        status=Status.FAILED, day__lt=today, attempts__lt=settings.NOTIFICATIONS_MAX_ATTEMPTS
    )
    return rows.exists() and not retriable.exists()


def send_due(today=None, *, dry_run=False):
    """Send every message due on ``today`` (the local date by default). A dry run reads and
    reports, writing and sending nothing."""
    today = today or timezone.localdate()
    report = RunReport()
    left = LeftCategories()
    connection = None if dry_run else get_connection()
    try:
        for message in rules.due_messages(today):
            for recipient in message.recipients:
                if (message.category, recipient) in left:
                    report.unsubscribed += 1
                elif dry_run:
                    if already_claimed(message, recipient, today):
                        report.already += 1
                    else:
                        report.planned.append((message, recipient))
                elif (notification := claim(message, recipient, today)) is None:
                    report.already += 1
                elif deliver(message, recipient, notification, connection):
                    report.sent += 1
                else:
                    report.failed += 1
    finally:
        if connection is not None:
            connection.close()
    return report
