"""Admin hooks of the content app: accessible names for Wagtail's own editing controls."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def admin_accessibility_js():
    # An external file, not an inline script: the admin runs under the same CSP as the site.
    return format_html('<script src="{}" defer></script>', static("home/js/admin_accessibility.js"))
