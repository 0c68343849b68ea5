from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    label = "monitoring"
    verbose_name = _("Мониторинг и чек-листы")
    default_auto_field = "django.db.models.BigAutoField"
