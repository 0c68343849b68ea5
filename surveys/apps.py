from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    label = "surveys"
    verbose_name = _("Анкетирование")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from schools.models import Organisation

        from .models import Campaign, Questionnaire
        from .views import forget_campaign

        for model in (Campaign, Questionnaire, Organisation):
            post_save.connect(forget_campaign, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(forget_campaign, sender=model, dispatch_uid=f"forget-d-{model}")
