"""Admin integration of the questionnaire."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from core.admin import PermissionMenuItem

from . import admin_views
from .models import Campaign


@hooks.register("register_admin_urls")
def register_survey_admin_urls():
    return [
        path("surveys/", admin_views.overview, name="surveys_overview"),
        path("surveys/review/", admin_views.review, name="surveys_review"),
        path("surveys/export.<str:fmt>", admin_views.export, name="surveys_export"),
        path("surveys/sessions/", admin_views.sessions, name="surveys_sessions"),
        path(
            "surveys/sessions/<int:pk>/order/",
            admin_views.session_order,
            name="surveys_session_order",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_survey_menu_item():
    return PermissionMenuItem(
        _("Анкетирование"),
        reverse("surveys_overview"),
        name="surveys",
        icon_name="form",
        order=160,
        check=lambda user: admin_views.visible_organisations(user).exists(),
    )


@hooks.register("register_admin_menu_item")
def register_session_menu_item():
    return PermissionMenuItem(
        _("Организованные анкетирования"),
        reverse("surveys_sessions"),
        name="survey-sessions",
        icon_name="group",
        order=165,
        check=admin_views.may_review_sessions,
    )


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "date"
    menu_label = _("Кампании анкетирования")
    add_to_admin_menu = True
    menu_order = 170
    list_display = ["title", "year", "opens_at", "closes_at", "methodology_version"]
    panels = [
        FieldPanel("title"),
        FieldPanel("year"),
        FieldPanel("opens_at"),
        FieldPanel("closes_at"),
        FieldPanel("report_deadline"),
        FieldPanel("parents_questionnaire"),
        FieldPanel("students_questionnaire"),
        FieldPanel("methodology_version"),
        FieldPanel("min_respondents"),
    ]


@hooks.register("register_admin_viewset")
def register_campaign_viewset():
    return CampaignViewSet("campaigns")
