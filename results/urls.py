from django.urls import path

from . import views

urlpatterns = [
    path("", views.ratings_index, name="ratings"),
    path("compare/", views.compare, name="ratings_compare"),
    path("<int:year>/", views.year_archive, name="ratings_year"),
    path("<int:year>/export.<str:fmt>", views.year_export, name="ratings_export"),
]

api_urlpatterns = [
    path("ratings/", views.api_ratings, name="ratings_api"),
    path("openapi.json", views.api_schema, name="ratings_api_schema"),
]
