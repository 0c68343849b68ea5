from django.urls import path

from . import cabinet

urlpatterns = [
    path("", cabinet.index, name="cabinet"),
    path("report/", cabinet.self_assessment, name="cabinet_self_assessment"),
    path("expert/<int:assignment_id>/", cabinet.observation, name="cabinet_observation"),
    path("expert/<int:assignment_id>/materials/", cabinet.materials, name="cabinet_materials"),
]
