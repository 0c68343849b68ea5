"""The portal's content pages: home, general content (methodology, documents, FAQ, contacts),
news, and the operator's site settings."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.page_queries import public
from core.pages import BasePage
from core.pagination import paginate

from .blocks import BaseStreamBlock
from .feeds import NewsFeed
from .media import PortalDocument, PortalImage, PortalRendition  # noqa: F401 — model registry

NEWS_PER_PAGE = 10


class QuickLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Название"), max_length=100)
    description = blocks.CharBlock(label=_("Описание"), max_length=200, required=False)
    page = blocks.PageChooserBlock(label=_("Страница"), required=False)
    url = blocks.CharBlock(
        label=_("Или адрес"),
        max_length=300,
        required=False,
        help_text=_("Например /ratings/ или полный адрес https://…"),
    )

    class Meta:
        icon = "link"
        label = _("Быстрая ссылка")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": [_("Выберите страницу или укажите адрес.")]}
            )
        return value


class HomePage(RoutablePageMixin, BasePage):
    banner_title = models.CharField(_("заголовок баннера"), max_length=200, blank=True)
    banner_text = models.TextField(_("текст баннера"), max_length=600, blank=True)
    banner_link_text = models.CharField(_("текст ссылки баннера"), max_length=100, blank=True)
    banner_link_url = models.CharField(_("адрес ссылки баннера"), max_length=300, blank=True)
    quick_links = StreamField(
        [("link", QuickLinkBlock())], blank=True, verbose_name=_("быстрые ссылки")
    )

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "home/home_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("banner_title"),
                FieldPanel("banner_text"),
                FieldPanel("banner_link_text"),
                FieldPanel("banner_link_url"),
            ],
            heading=_("Баннер текущей кампании"),
        ),
        FieldPanel("quick_links"),
    ]

    class Meta:
        verbose_name = _("главная страница")
        verbose_name_plural = _("главные страницы")

    def latest_news(self, count=3):
        # One query, the view restrictions inside it (core/page_queries.py).
        news = NewsPage.objects.live().descendant_of(self)
        return public(news).order_by("-date", "-pk")[:count]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = self.latest_news()
        return context


class ContentPage(BasePage):
    """Methodology, documents, FAQ, contacts: any text page built from shared blocks."""

    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("содержание"))

    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage", "surveys.SurveyPage"]
    template = "home/content_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("страница с содержанием")
        verbose_name_plural = _("страницы с содержанием")


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "home.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsIndexPage(RoutablePageMixin, BasePage):
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]
    max_count = 1
    template = "home/news_index_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("лента новостей")
        verbose_name_plural = _("ленты новостей")

    def news(self):
        return (
            NewsPage.objects.live()
            .public()
            .child_of(self)
            .order_by("-date", "-pk")
            .prefetch_related("tags")
        )

    @path("")
    def index_route(self, request):
        news = self.news()
        tag = request.GET.get("tag", "")[:100]
        if tag:
            news = news.filter(tags__name=tag)
        return self.render(
            request,
            context_overrides={"news_page": paginate(request, news, NEWS_PER_PAGE), "tag": tag},
        )

    @path("rss/", name="rss")
    def rss_route(self, request):
        return NewsFeed(self)(request)


class NewsPage(BasePage):
    date = models.DateField(_("дата публикации"), default=timezone.localdate)
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("текст новости"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("теги"))

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []
    template = "home/news_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    class Meta:
        verbose_name = _("новость")
        verbose_name_plural = _("новости")


@register_setting(icon="site")
class OperatorSettings(BaseSiteSetting):
    """Who runs the assessment in this region, shown in the footer and on contact pages."""

    name = models.CharField(_("название оператора"), max_length=255, blank=True)
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    phone = models.CharField(_("телефон поддержки"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail поддержки"), blank=True)
    working_hours = models.CharField(_("часы работы"), max_length=255, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("working_hours"),
    ]

    class Meta:
        verbose_name = _("контакты оператора")
