from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PagesSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accountability.sitemaps import FollowUpSitemap
from results import urls as results_urls
from results.sitemaps import RatingsSitemap
from search import views as search_views

from . import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility_switch, name="accessibility_switch"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("survey/", include("surveys.urls")),
    # Before schools.urls: the cabinet's preliminary results, objections and plan pages.
    path("", include("accountability.urls")),
    path("", include("outputs.urls")),
    path("notifications/", include("notifications.urls")),
    path("cabinet/", include("schools.urls")),
    path("ratings/", include(results_urls.urlpatterns)),
    path("api/v1/", include(results_urls.api_urlpatterns)),
    # Wagtail's pages, then the public views that are not pages.
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                "pages": PagesSitemap,
                "ratings": RatingsSitemap(),
                "follow_up": FollowUpSitemap(),
            }
        },
        name="sitemap",
    ),
]

if settings.SERVE_MEDIA:
    # Only renditions are public media: originals may carry EXIF (GPS) and documents go
    # through /documents/ so that collection privacy applies.
    urlpatterns += [
        re_path(
            r"^media/(?P<path>images/[^/]+)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
