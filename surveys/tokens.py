"""The signed single-use form token and the «already answered» cookie of a questionnaire.

The token is issued with every form, bound to the campaign, organisation and audience, and
valid for TOKEN_MAX_AGE; its nonce is unique among stored responses, so it admits one response
only. It replaces the CSRF cookie, which a browser does not keep inside another site's frame
(the embedded questionnaire, security.md case 33).
"""

import secrets
import time

from django.core import signing
from django.utils import timezone

from core.cookies import cross_site_options, partition

TOKEN_SALT = "surveys.form"
TOKEN_MAX_AGE = 24 * 60 * 60
ANSWERED_COOKIE_SALT = "surveys.answered"


def answered_cookie_name(campaign, organisation, audience):
    return f"answered-{campaign.pk}-{organisation.pk}-{audience}"


def has_answered(request, campaign, organisation, audience):
    """True when this browser already answered the questionnaire (the signed cookie)."""
    return bool(
        request.get_signed_cookie(
            answered_cookie_name(campaign, organisation, audience),
            default=None,
            salt=ANSWERED_COOKIE_SALT,
        )
    )


def issue_token(campaign, organisation, audience):
    return signing.dumps(
        {
            "n": secrets.token_hex(16),
            "t": time.time(),
            "c": campaign.pk,
            "o": organisation.pk,
            "a": audience,
        },
        salt=TOKEN_SALT,
    )


def read_token(value, campaign, organisation, audience):
    try:
        data = signing.loads(value or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if (data.get("c"), data.get("o"), data.get("a")) != (campaign.pk, organisation.pk, audience):
        return None
    return data


def mark_answered(response, request, campaign, organisation, audience, embed):
    """The signed «already answered» cookie, until the campaign closes. Inside a school's
    website (the embed) the questionnaire is a third-party frame: there the cookie must be
    cross-site and partitioned, or the browser drops it."""
    name = answered_cookie_name(campaign, organisation, audience)
    secure = request.is_secure()
    response.set_signed_cookie(
        name,
        "1",
        salt=ANSWERED_COOKIE_SALT,
        max_age=max(60, int((campaign.closes_at - timezone.now()).total_seconds())),
        httponly=True,
        **(cross_site_options(secure) if embed else {"samesite": "Lax", "secure": secure}),
    )
    if embed:
        partition(response, name)
