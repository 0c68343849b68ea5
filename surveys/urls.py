from django.urls import path

from . import paper_views, qr, views

urlpatterns = [
    # Before the questionnaire's own routes: "paper" is no organisation's code.
    path("paper/", paper_views.index, name="surveys_paper"),
    path("paper/<str:code>/", paper_views.batch_page, name="surveys_paper_batch"),
    path("paper/<str:code>/print/", paper_views.print_sheet, name="surveys_paper_print"),
    path("paper/<str:code>/entry/", paper_views.entry, name="surveys_paper_entry"),
    path("<str:code>/leaflet/", qr.leaflet, name="survey_leaflet"),
    # What a school's (cached) page fetches for its embedded questionnaires.
    path("<str:code>/form-tokens/", views.form_tokens, name="survey_form_tokens"),
    path("<str:code>/<slug:audience>/qr.<str:fmt>", qr.qr_code, name="survey_qr"),
    path("<str:code>/<slug:audience>/", views.questionnaire, name="survey"),
    path("<str:code>/<slug:audience>/thanks/", views.thanks, name="survey_thanks"),
    path("<str:code>/<slug:audience>/embed/", views.questionnaire_embed, name="survey_embed"),
    path(
        "<str:code>/<slug:audience>/embed/thanks/", views.thanks_embed, name="survey_thanks_embed"
    ),
]
