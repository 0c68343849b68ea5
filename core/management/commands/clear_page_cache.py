"""Make every page kept by the page cache stale, on every server sharing the cache."""

from django.core.management.base import BaseCommand

from core import page_cache


class Command(BaseCommand):
    help = "Make every page kept by the page cache stale (every server at once)."

    def handle(self, *args, **options):
        page_cache.clear()
        self.stdout.write("Page cache cleared.")
