"""The editors' log of sent e-mail: read-only, filtered by category, status and date.

It lists subjects and addresses, never a body. Only the «view» permission exists for anyone
here (migration 0001 grants it to the operator's editors): rows are written by the sending
run alone, so adding, editing and deleting are refused even to superusers."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from core.admin import SafeExportIndexView

from .models import SentNotification

READ_ONLY_ACTIONS = {"view"}


class ReadOnlyPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in READ_ONLY_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission(set(actions) & READ_ONLY_ACTIONS)


class SentNotificationViewSet(ModelViewSet):
    model = SentNotification
    icon = "mail"
    menu_label = _("Журнал уведомлений")
    menu_name = "notifications-log"
    url_prefix = "notifications/log"
    add_to_admin_menu = True
    menu_order = 290
    index_view_class = SafeExportIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["day", "category", "email", "subject", "status", "attempts", "error"]
    list_filter = {"category": ["exact"], "status": ["exact"], "day": ["gte", "lte"]}
    list_export = ["day", "category", "key", "email", "subject", "status", "attempts", "error"]
    export_filename = "notifications"
    search_fields = ["email", "subject", "key"]
    search_backend_name = None
    inspect_view_fields = [
        "day",
        "category",
        "key",
        "email",
        "user",
        "subject",
        "status",
        "attempts",
        "error",
        "created_at",
        "updated_at",
    ]
    form_fields = []

    @property
    def permission_policy(self):
        return ReadOnlyPolicy(self.model)
