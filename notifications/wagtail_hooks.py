"""Admin integration: the editors' log of sent notifications."""

from wagtail import hooks

from .viewsets import SentNotificationViewSet


@hooks.register("register_admin_viewset")
def register_notifications_log():
    return SentNotificationViewSet()
