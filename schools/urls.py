from django.urls import path

from . import cabinet, coordinator

urlpatterns = [
    path("", cabinet.index, name="cabinet"),
    path("logout/", cabinet.LogoutView.as_view(), name="cabinet_logout"),
    path("report/", cabinet.self_assessment, name="cabinet_self_assessment"),
    path("expert/<int:assignment_id>/", cabinet.observation, name="cabinet_observation"),
    path("expert/<int:assignment_id>/materials/", cabinet.materials, name="cabinet_materials"),
    path("municipality/", coordinator.workspace_view, name="cabinet_coordinator"),
    path(
        "municipality/export.csv", coordinator.workspace_export, name="cabinet_coordinator_export"
    ),
    path(
        "municipality/assignments/<int:assignment_id>/materials/",
        coordinator.materials_handed_over,
        name="cabinet_coordinator_materials",
    ),
    path(
        "municipality/experts/",
        coordinator.expert_proposals,
        name="cabinet_coordinator_experts",
    ),
]
