"""The public ratings in sitemap.xml: the ratings page and the archive of every published
year (never a draft: a year appears once its first revision is published)."""

from django.urls import reverse

from core.sites import SiteSitemap

from .models import RatingRevision


class RatingsSitemap(SiteSitemap):
    def items(self):
        years = RatingRevision.objects.published_years()
        return [("ratings", ()), *(("ratings_year", (year,)) for year in years)]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)
