"""Sign-in hardening (security.md cases 16 and 39): failed attempts are throttled per account and
per client address, so a password cannot be guessed at speed; password-reset e-mails likewise,
so nobody can flood an inbox or probe the accounts.

Counters live in the cache for ``LOGIN_THROTTLE_SECONDS`` and hold no address or user name:
keys are HMACs of them. Django already rotates the session id at sign-in and ends the
sessions of a deactivated account (its backend refuses inactive users)."""

import hashlib
import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import ngettext_lazy
from wagtail.admin.forms.auth import LoginForm, PasswordResetForm

from .models import SignInFailure
from .throttle import client_address, increment

logger = logging.getLogger(__name__)


def _key(kind, value):
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"login-failures:{kind}:{digest}"


def _counters(request, account, prefix="", per_account=None, per_address=None):
    """(cache key, limit) of each counter an attempt adds to: the account's and the client
    address's (without a request there is no address to count). Sign-in failures by default;
    password resets with their own prefix and limits."""
    counters = [
        (
            _key(f"{prefix}user", (account or "").strip().lower()),
            per_account or settings.LOGIN_FAILURES_PER_ACCOUNT,
        )
    ]
    if request is not None:
        counters.append(
            (
                _key(f"{prefix}address", client_address(request)),
                per_address or settings.LOGIN_FAILURES_PER_ADDRESS,
            )
        )
    return counters


def throttled(request, username):
    """True when the account or the address has used up its failures in the window, as
    counted by the cache or, for failures the cache could not count, by the database."""
    counters = _counters(request, username)
    keys = [key for key, _limit in counters]
    counts = cache.get_many(keys)
    window_start = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_SECONDS)
    stored = dict(
        SignInFailure.objects.filter(key__in=keys, at__gte=window_start)
        .values("key")
        .annotate(failures=Count("pk"))
        .values_list("key", "failures")
    )
    return any(max(counts.get(key) or 0, stored.get(key, 0)) >= limit for key, limit in counters)


def record_failure(request, username):
    for key, _limit in _counters(request, username):
        if increment(key, settings.LOGIN_THROTTLE_SECONDS) is None:
            # The cache is down: throttling must not be (security.md case 36).
            SignInFailure.objects.create(key=key)
    window_start = timezone.now() - timedelta(seconds=settings.LOGIN_THROTTLE_SECONDS)
    SignInFailure.objects.filter(at__lt=window_start).delete()


class ThrottledLoginForm(LoginForm):
    error_messages = {
        **LoginForm.error_messages,
        "throttled": ngettext_lazy(
            "Слишком много неудачных попыток входа. Подождите %(minutes)s минуту и попробуйте "
            "снова или восстановите пароль.",
            "Слишком много неудачных попыток входа. Подождите %(minutes)s минут и попробуйте "
            "снова или восстановите пароль.",
            "minutes",
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if throttled(self.request, username):
            # Refused before the password is even checked: a right guess now says nothing.
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_THROTTLE_SECONDS // 60},
            )
        try:
            return super().clean()
        except ValidationError:
            record_failure(self.request, username)
            raise


class ThrottledPasswordResetForm(PasswordResetForm):
    """Sends at most ``PASSWORD_RESETS_PER_ACCOUNT`` reset e-mails per account and
    ``PASSWORD_RESETS_PER_ADDRESS`` per client address in ``LOGIN_THROTTLE_SECONDS``. The page
    says «sent» either way: it must not tell whether an address has an account."""

    def save(self, *args, request=None, **kwargs):
        counters = _counters(
            request,
            self.cleaned_data.get("email"),
            prefix="reset-",
            per_account=settings.PASSWORD_RESETS_PER_ACCOUNT,
            per_address=settings.PASSWORD_RESETS_PER_ADDRESS,
        )
        for key, limit in counters:
            count = increment(key, settings.LOGIN_THROTTLE_SECONDS)
            if count is not None and count > limit:
                logger.warning("Password reset e-mail not sent: too many requests")
                return None
        return super().save(*args, request=request, **kwargs)


def end_sessions_of(user_id):
    """Delete every stored session signed in as this user (security.md case 40).

    Django stops a deactivated account's sessions only while it stays inactive: reactivated,
    the old sessions worked again. Only staff sign in here (questionnaires keep their marks in
    signed cookies), so reading the live sessions to find the user's is cheap."""
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    Session.objects.filter(pk__in=doomed).delete()


def unlock(username):
    """Lift an account's sign-in lockout at once (``manage.py unlock_signin``): anyone who
    knows a login can lock it for the window, the administrator's included."""
    key = _key("user", (username or "").strip().lower())
    cache.delete(key)
    SignInFailure.objects.filter(key=key).delete()


def account_changed(sender, instance, raw=False, update_fields=None, **kwargs):
    """A deactivated account's sessions end for good (reactivating must not revive them); a
    new password, set by its owner through the e-mailed reset link or by an administrator,
    lifts a sign-in lockout someone else's guesses caused. (``pre_save`` of the user model,
    connected in CoreConfig.ready.)"""
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
