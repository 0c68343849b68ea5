from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    """Municipalities and organisations: the bottom of the domain (docs/architecture.md)."""

    name = "registry"
    label = "registry"
    verbose_name = _("Реестр организаций")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.search import register_vocabulary

        from .models import Organisation

        def organisation_words():
            # What the site search, the directory and the ratings search look through.
            return Organisation.objects.filter(is_active=True).values_list(
                "name", "short_name", "address", "municipality__name"
            )

        register_vocabulary(organisation_words)
