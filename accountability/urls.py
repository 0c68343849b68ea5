"""Public and cabinet URLs of the accountability cycle, one list per part."""

from . import (
    council_views,
    discussion_views,
    plan_views,
    preliminary_views,
    shortcoming_views,
    year_views,
)

PARTS = (
    shortcoming_views,
    preliminary_views,
    plan_views,
    council_views,
    discussion_views,
    year_views,
)

urlpatterns = [pattern for part in PARTS for pattern in part.urlpatterns]
