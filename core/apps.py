from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Pieces every app shares and that belong to no domain (see ../shared/style.md layers)."""

    name = "core"
    label = "core"
    verbose_name = _("Общее")
    default_auto_field = "django.db.models.BigAutoField"
