from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    label = "surveys"
    verbose_name = _("Анкетирование")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.memo import forget_all
        from registry.models import Organisation

        from .models import Campaign, Questionnaire, RespondentGroup

        # What the process remembers (open campaigns and their areas, respondent groups,
        # organisations by code: surveys/models.py, surveys/views.py) is forgotten on any
        # change here.
        for model in (Campaign, Questionnaire, RespondentGroup, Organisation):
            post_save.connect(forget_all, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(forget_all, sender=model, dispatch_uid=f"forget-d-{model}")
        # A campaign's municipalities are written after the campaign itself.
        m2m_changed.connect(
            forget_all, sender=Campaign.municipalities.through, dispatch_uid="forget-area"
        )

        # A campaign opens and closes on the clock: no kept page outlives either moment.
        from core.page_cache import register_moments

        from .models import campaign_moments

        register_moments(campaign_moments)
