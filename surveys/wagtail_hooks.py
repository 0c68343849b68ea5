"""Admin integration of the questionnaire."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.admin import PermissionMenuItem

from . import admin_views, paper
from .viewsets import CampaignViewSet, RespondentGroupViewSet, copy_groups_view


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
        path("surveys/groups/copy/", copy_groups_view, name="surveys_copy_groups"),
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


@hooks.register("register_admin_menu_item")
def register_paper_menu_item():
    # The screens live on the site (/survey/paper/): an interviewer needs no admin access.
    return PermissionMenuItem(
        _("Бумажные анкеты"),
        reverse("surveys_paper"),
        name="survey-paper",
        icon_name="doc-full",
        order=167,
        check=paper.may_use_paper,
    )


@hooks.register("register_admin_viewset")
def register_campaign_viewset():
    return CampaignViewSet("campaigns")


@hooks.register("register_admin_viewset")
def register_respondent_group_viewset():
    return RespondentGroupViewSet("respondent_groups")
