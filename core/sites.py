"""The default Wagtail Site's address, taken from the ``BASE_URL`` the portal is deployed at.

Wagtail builds every absolute page address (sitemap.xml, ``page.full_url``) from the Site's
hostname and port, which a fresh database has as ``localhost:80``. An operator who deploys
with ``BASE_URL=https://noko.example.ru`` expects the sitemap to list that address, so
``migrate`` (post_migrate) and ``load_demo`` write it into the default Site. Without
``BASE_URL`` the Site keeps whatever an editor set in the admin.

Views that are not pages (ratings, the year pages) list themselves in sitemap.xml through
``SiteSitemap``, at the same address as the pages.

Requests still find the default Site whatever host they arrive on (Wagtail falls back to it),
so a laptop reaching the portal at 127.0.0.1 is served as before."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from wagtail.models import Site

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


def site_address(base_url):
    """(hostname, port) of ``base_url`` as Wagtail's Site stores them, or None when the Site
    cannot express it: Wagtail writes any port but 443 as ``http://``, so ``https`` on another
    port would come out as a wrong address."""
    parts = urlsplit(base_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if parts.scheme == "https" and port != 443:
        return None
    if parts.scheme == "http" and port == 443:
        return None
    return parts.hostname, port


def sync_default_site(base_url=None):
    """Give the default Site the host and port of ``base_url`` (``settings.BASE_URL`` when not
    given). Returns the Site when it has that address, None when there is no address to take
    or no default Site yet."""
    base_url = settings.BASE_URL if base_url is None else base_url
    if not base_url:
        return None
    address = site_address(base_url)
    if address is None:
        logger.warning(
            "BASE_URL %s cannot be a Wagtail site address (http on any port, https on 443): "
            "the default site keeps its address",
            base_url,
        )
        return None
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    if (site.hostname, site.port) != address:
        site.hostname, site.port = address
        # save() clears Wagtail's cache of site root paths (its post_save handler).
        site.save(update_fields=["hostname", "port"])
    return site


def sync_default_site_after_migrate(sender, **kwargs):
    """post_migrate receiver: keep the Site's address in step with BASE_URL on every deploy."""
    if kwargs.get("using", "default") != "default":
        return
    try:
        # The migrated state, which lacks the Site after `migrate wagtailcore zero`.
        kwargs["apps"].get_model("wagtailcore", "Site")
    except LookupError:
        return
    sync_default_site()


class SiteSitemap(Sitemap):
    """A sitemap section of views at the default Site's address, like Wagtail's page section.

    Django's own sitemaps take the host the request came in on, so sitemap.xml fetched at
    127.0.0.1 behind a proxy would list pages at https://noko.example.ru and the ratings at
    http://127.0.0.1."""

    def get_urls(self, page=1, site=None, protocol=None):
        default = Site.objects.filter(is_default_site=True).first()
        if default is not None:
            address = urlsplit(default.root_url)
            site, protocol = _Domain(address.netloc), address.scheme
        return super().get_urls(page=page, site=site, protocol=protocol)


class _Domain:
    """The one attribute Django's Sitemap reads from a site."""

    def __init__(self, domain):
        self.domain = domain
