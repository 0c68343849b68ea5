from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutputsConfig(AppConfig):
    name = "outputs"
    label = "outputs"
    verbose_name = _("Итоговые документы года")
    default_auto_field = "django.db.models.BigAutoField"
