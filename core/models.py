"""Shared models with no domain of their own."""

from django.db import models
from django.utils import timezone


class SignInFailure(models.Model):
    """A failed sign-in counted in the database while the cache cannot count it (security.md
    case 36): throttling must hold when Redis is down, or that is when passwords get guessed.
    ``key`` is the HMAC of the account or address (core/signin.py), never the name itself."""

    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"])]

    def __str__(self):
        return f"{self.key} {self.at:%Y-%m-%d %H:%M}"
