"""Public URLs of notifications (the unsubscribe link of each e-mail) and the cabinet's
subscription settings, included at /notifications/."""

from .views import urlpatterns

__all__ = ["urlpatterns"]
