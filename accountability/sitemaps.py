"""The public pages after the numbers in sitemap.xml: the year pages, the council and the
approved plans of each published year (a year's plans page lists approved plans only)."""

from django.urls import reverse

from core.sites import SiteSitemap

from .plan_views import final_years
from .year_views import public_years


class FollowUpSitemap(SiteSitemap):
    def items(self):
        return [
            ("accountability_years", ()),
            ("accountability_council", ()),
            *(("accountability_year", (year,)) for year in public_years()),
            *(("accountability_plans_year", (year,)) for year in final_years()),
        ]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)
