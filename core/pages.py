"""What every page type of the portal shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.search import index

from core.page_queries import view_restrictions
from core.search import NORMALISED_FIELD, normalised_text


class BasePage(Page):
    """Fields and behaviour every public content page shares."""

    intro = models.TextField(
        _("вводный текст"),
        blank=True,
        max_length=600,
        help_text=_("Короткое описание: показывается под заголовком, в списках и в поиске."),
    )

    # NORMALISED_FIELD: every search field of the page type (title, intro, body...) in the
    # normal form the search reads Russian in (core/search.py).
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField(NORMALISED_FIELD),
    ]

    class Meta:
        abstract = True

    def normalised_text(self):
        return normalised_text(self)

    @classmethod
    def get_indexed_objects(cls):
        # A page that was never published keeps its draft in its own row: only live pages
        # reach a search index, so no draft is ever indexed (security.md case 17). Saving a
        # page that is not live then indexes nothing; unpublishing removes it
        # (CoreConfig.ready).
        return super().get_indexed_objects().filter(live=True)

    def get_view_restrictions(self):
        # Asked by Wagtail before serving every page: one query instead of two while the
        # page holds its ancestors from routing (core/page_queries.py). While the page is
        # served, the queryset remembered for this request answers again (core/wagtail_hooks.py).
        serving = getattr(self, "_serving_view_restrictions", None)
        if serving is not None:
            return serving
        return view_restrictions(self)
