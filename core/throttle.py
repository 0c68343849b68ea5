"""The client's address and the shared counters that limit what one address or account may do.

Used by sign-in throttling (core/signin.py) and by the questionnaires' duplicate control
(surveys/services.py). Counters live in the default cache, shared by every app server.
"""

from django.conf import settings
from django.core.cache import cache

from .memo import MISSING, Memo

# INCR and, for a new counter, EXPIRE in one round trip (and atomically: a counter can never
# be left without its expiry).
INCREMENT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""
redis_scripts = Memo("registered Redis scripts")


def client_address(request):
    """The client's address as seen by the last trusted proxy.

    With ``TRUSTED_PROXY_COUNT = N`` the address is the N-th entry from the right of
    X-Forwarded-For, which our own proxies append; anything further left was written by the
    client and can be forged (security.md case 4)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def increment(name, ttl):
    """Add one to the cache counter ``name`` (created with a ``ttl``); None when the cache is
    unavailable.

    With Redis this is one script call: a region-wide push brings a new address with nearly
    every submission, and the cache API would spend three round trips on each (a failed
    INCR, an ADD, and the value serialised in between)."""
    script = redis_increment_script()
    if script is not None:
        try:
            return int(script(keys=[cache.make_and_validate_key(name)], args=[ttl]))
        except Exception:  # Redis down or failing: the caller falls back to safe mode
            # One line per outage comes from the cache's circuit breaker (core/cache.py).
            return None
    try:
        return cache.incr(name)
    except ValueError:  # the first count in this window (or the cache is gone)
        if cache.add(name, 1, ttl):
            return 1
        try:
            return cache.incr(name)
        except ValueError:
            return None


def redis_increment_script():
    """The registered script on the default cache's Redis, or None for other backends."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return None  # not django-redis: local memory in development and tests
    # The client is kept beside its script: a replaced cache (settings changed in a test)
    # registers anew, even if its client happens to reuse the old one's id.
    registered = redis_scripts.lookup(INCREMENT_SCRIPT)
    if registered is MISSING or registered[0] is not client:
        script = client.get_client(write=True).register_script(INCREMENT_SCRIPT)
        registered = redis_scripts.store(INCREMENT_SCRIPT, (client, script))
    return registered[1]
