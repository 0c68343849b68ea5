"""Admin integration of checklists and monitoring."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.admin import PermissionMenuItem
from registry.access import coordinated_municipalities, organisation_of

from . import admin_views, experts
from .viewsets import MonitoringViewSetGroup


@hooks.register("register_admin_urls")
def register_monitoring_admin_urls():
    return [
        path("checklists/", admin_views.checklist_index, name="monitoring_checklists"),
        path("checklists/<int:pk>/", admin_views.checklist_detail, name="monitoring_checklist"),
        path(
            "checklists/<int:pk>/<slug:action>/",
            admin_views.checklist_transition,
            name="monitoring_checklist_transition",
        ),
        path("monitoring/rounds/<int:pk>/", admin_views.round_detail, name="monitoring_round"),
        path(
            "monitoring/expert-proposals/",
            admin_views.expert_proposals,
            name="monitoring_expert_proposals",
        ),
        path(
            "monitoring/expert-proposals/<int:pk>/<slug:action>/",
            admin_views.expert_proposal_decision,
            name="monitoring_expert_proposal_decision",
        ),
        path(
            "monitoring/rounds/<int:pk>/check/",
            admin_views.round_check,
            name="monitoring_round_check",
        ),
        path(
            "monitoring/rounds/<int:pk>/report/",
            admin_views.round_report,
            name="monitoring_round_report",
        ),
        path(
            "monitoring/rounds/<int:pk>/report.xlsx",
            admin_views.round_report,
            {"fmt": "xlsx"},
            name="monitoring_round_report_xlsx",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_checklists_menu_item():
    return PermissionMenuItem(
        _("Чек-листы и отчёты"),
        reverse("monitoring_checklists"),
        name="checklists",
        icon_name="tasks",
        order=315,
        check=lambda user: user.has_perm(admin_views.REVIEW_PERMISSION),
    )


@hooks.register("register_admin_menu_item")
def register_expert_proposals_menu_item():
    return PermissionMenuItem(
        _("Эксперты: предложения"),
        reverse("monitoring_expert_proposals"),
        name="expert-proposals",
        icon_name="user",
        order=316,
        check=lambda user: user.has_perm(experts.DECIDE_PERMISSION),
    )


@hooks.register("register_admin_menu_item")
def register_cabinet_menu_item():
    # School staff work in the admin for their page and files; their reports are here.
    return PermissionMenuItem(
        _("Личный кабинет"),
        reverse("cabinet"),
        name="cabinet",
        icon_name="home",
        order=5,
        check=lambda user: (
            organisation_of(user) is not None or coordinated_municipalities(user).exists()
        ),
    )


@hooks.register("register_admin_viewset")
def register_monitoring_viewsets():
    return MonitoringViewSetGroup()
