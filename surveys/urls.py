from django.urls import path

from . import qr, views

urlpatterns = [
    path("<str:code>/leaflet/", qr.leaflet, name="survey_leaflet"),
    path("<str:code>/<slug:audience>/qr.<str:fmt>", qr.qr_code, name="survey_qr"),
    path("<str:code>/<slug:audience>/", views.questionnaire, name="survey"),
    path("<str:code>/<slug:audience>/thanks/", views.thanks, name="survey_thanks"),
    path("<str:code>/<slug:audience>/embed/", views.questionnaire_embed, name="survey_embed"),
    path(
        "<str:code>/<slug:audience>/embed/thanks/", views.thanks_embed, name="survey_thanks_embed"
    ),
]
