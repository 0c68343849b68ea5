import datetime

import factory
import wagtail_factories
from anyascii import anyascii
from django.utils.text import slugify
from wagtail.models import Site

from home.models import ContentPage, HomePage, NewsIndexPage, NewsPage, OperatorSettings


def site_home_page():
    """The HomePage created by migration home/0002, root of the default site."""
    return Site.objects.get(is_default_site=True).root_page.specific


def transliterated_slug(page):
    # Matches what the admin does with WAGTAIL_ALLOW_UNICODE_SLUGS = False.
    return slugify(anyascii(page.title))


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Главная"
    banner_title = "Идёт анкетирование"

    class Meta:
        model = HomePage


class ContentPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Страница {n}")
    intro = "Вводный текст страницы."
    slug = factory.LazyAttribute(transliterated_slug)

    class Meta:
        model = ContentPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "Новости"
    slug = "novosti"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Новость {n}")
    intro = "Кратко о новости."
    slug = factory.LazyAttribute(transliterated_slug)
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))

    class Meta:
        model = NewsPage


class OperatorSettingsFactory(factory.django.DjangoModelFactory):
    site = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True))
    name = "Региональный центр оценки качества образования"
    address = "г. Приозёрск, ул. Набережная, д. 14"
    phone = "+7 (800) 555-01-26"
    email = "noko@example.com"
    working_hours = "пн–пт 9:00–18:00"

    class Meta:
        model = OperatorSettings
        django_get_or_create = ("site",)
