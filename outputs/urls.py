"""Public URLs of the year's outputs, one list per part."""

from . import busgov_views, report_views

PARTS = (busgov_views, report_views)

urlpatterns = [pattern for part in PARTS for pattern in part.urlpatterns]
