from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """Municipalities and organisations: the bottom of the domain (docs/architecture.md)."""

    name = "registry"
    label = "registry"
    verbose_name = _("Реестр организаций")
    default_auto_field = "django.db.models.BigAutoField"
