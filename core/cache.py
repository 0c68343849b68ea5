"""Redis connections that give up fast on a sick Redis (security.md cases 31 and 34).

django-redis already turns a refused connection into a cache miss (``IGNORE_EXCEPTIONS``).
A Redis that accepts connections and never answers was not handled: every cache call waited
its socket timeout, and redis-py retried it three times, so a page with twenty cache calls took
a minute. Here each connection consults one circuit breaker per process: after a failure, every
cache call, the survey counters' script and the sign-in counters fail at once for
``CACHE_RETRY_SECONDS`` (the callers already treat that as "cache unavailable"), and one log line
says so instead of a traceback per call.
"""

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

from .breaker import CircuitBreaker

breaker = CircuitBreaker("Cache (Redis)", lambda: settings.CACHE_RETRY_SECONDS)
FAILURES = (redis.ConnectionError, redis.TimeoutError, OSError)


class GuardedConnection(redis.Connection):
    """A redis-py connection that refuses to wait on a Redis the breaker knows is failing."""

    def _guarded(self, call, *args, **kwargs):
        if breaker.is_open():
            raise redis.ConnectionError("Redis is being left alone after a failure")
        try:
            result = call(*args, **kwargs)
        except FAILURES as error:
            breaker.failed(error)
            raise
        breaker.succeeded()
        return result

    def connect(self):
        return self._guarded(super().connect)

    def send_packed_command(self, command, check_health=True):
        return self._guarded(super().send_packed_command, command, check_health)

    def read_response(self, *args, **kwargs):
        return self._guarded(super().read_response, *args, **kwargs)


def redis_cache(url):
    """The ``CACHES["default"]`` entry for Redis at ``url``."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            # A Redis outage must not take the site down (security.md case 31).
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "CONNECTION_POOL_KWARGS": {
                "connection_class": GuardedConnection,
                # One try: the breaker, not a retry loop, decides when to ask again.
                "retry": Retry(NoBackoff(), 0),
            },
        },
    }
