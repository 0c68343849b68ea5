from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    label = "home"
    verbose_name = _("Сайт и материалы")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from modelsearch.index import remove_object
        from wagtail.signals import page_unpublished

        def forget_unpublished_page(sender, instance, **kwargs):
            # An unpublished page is no longer among the indexed objects, so saving it
            # would leave its last public text in the index.
            remove_object(instance.specific)

        page_unpublished.connect(forget_unpublished_page, weak=False)
