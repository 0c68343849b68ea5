"""Duplicate control against a real Redis (the production cache): counters expire, bursts
are flagged, and a Redis outage holds responses for review (security.md cases 2 and 31).

Skipped only where no Redis listens on 127.0.0.1:6379 (it does on the project's machines)."""

import socket

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from core import signin, throttle
from core.cache import redis_cache as production_redis_cache
from registry.tests.factories import OrganisationFactory
from surveys import services
from surveys.models import Response
from surveys.tests.factories import CampaignFactory, standard_questionnaire

pytestmark = pytest.mark.django_db


def redis_listening():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def redis_cache(url):
    """The production cache settings (core/cache.py) at ``url``."""
    return {"default": {**production_redis_cache(url), "KEY_PREFIX": "noko-test"}}


needs_redis = pytest.mark.skipif(not redis_listening(), reason="no Redis on 127.0.0.1:6379")


def submission(campaign, organisation, nonce):
    return services.Submission(
        campaign=campaign,
        organisation=organisation,
        audience="parents",
        questionnaire=standard_questionnaire("parents"),
        answers={"q1": True},
        suggestion="",
        nonce=nonce,
        honeypot_filled=False,
        seconds_to_fill=120,
    )


@needs_redis
@override_settings(
    CACHES=redis_cache("redis://127.0.0.1:6379/15"), SURVEY_MAX_PER_ADDRESS_PER_HOUR=3
)
def test_counters_in_redis_count_expire_and_flag_bursts():
    cache.clear()
    services.daily_keys.forget()
    assert [throttle.increment("counter-a", 120) for _ in range(3)] == [1, 2, 3]
    raw = cache.client.get_client(write=True)
    assert 0 < raw.ttl(cache.make_and_validate_key("counter-a")) <= 120

    campaign, school = CampaignFactory(), OrganisationFactory()
    now = timezone.now()
    for n in range(5):
        services.submit(submission(campaign, school, f"nonce-{n}"), "203.0.113.9", now)

    statuses = list(Response.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["accepted"] * 3 + ["flagged"] * 2
    # No address in Redis: only HMAC digests of it.
    assert not any(b"203.0.113.9" in key for key in raw.keys("*"))
    cache.clear()


@override_settings(CACHES=redis_cache("redis://127.0.0.1:1/0"))
def test_redis_outage_holds_responses_for_review():
    services.daily_keys.forget()
    campaign, school = CampaignFactory(), OrganisationFactory()
    services.submit(submission(campaign, school, "nonce-down"), "203.0.113.10")

    response = Response.objects.get(form_nonce="nonce-down")
    assert (response.status, response.flag_reason) == ("flagged", services.REASON_SAFE_MODE)


@needs_redis
@override_settings(
    CACHES=redis_cache("redis://127.0.0.1:6379/15"),
    LOGIN_FAILURES_PER_ACCOUNT=2,
    LOGIN_THROTTLE_SECONDS=60,
)
def test_sign_in_failures_share_the_counter_script_in_redis():
    cache.clear()
    signin.record_failure(None, "Editor")
    assert not signin.throttled(None, "editor")
    signin.record_failure(None, " editor ")
    # Counted by the script, read back through the cache API: the account is throttled.
    assert signin.throttled(None, "EDITOR")
    assert not signin.throttled(None, "someone-else")
    cache.clear()
