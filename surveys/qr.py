"""QR codes and printable leaflets for a school's survey links: one per respondent group of
the organisation's kind, titled as the group is."""

import io

import segno
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.cache import cache_control

from registry.models import Organisation

from .models import offered_groups
from .views import resolve


def survey_url(request, organisation, audience):
    return request.build_absolute_uri(reverse("survey", args=[organisation.code, audience]))


def survey_links(request, campaign, organisation):
    """What a school hands out for each questionnaire of ``campaign``: the link, its QR code
    (inline SVG) and the iframe code for the school's own website."""
    links = []
    for group in campaign.groups_for(organisation):
        title = group.title_for(campaign)
        url = survey_url(request, organisation, group.audience)
        embed = request.build_absolute_uri(
            reverse("survey_embed", args=[organisation.code, group.audience])
        )
        # The iframe's title is its name for screen readers on the school's site.
        links.append(
            {
                "audience": group.audience,
                "title": title,
                "url": url,
                "svg": mark_safe(qr_svg(url, scale=3)),
                "embed_code": f'<iframe src="{embed}" title="{escape(title)}" width="100%" '
                'height="1600" '
                f'style="border:0" loading="lazy"></iframe>',
            }
        )
    return links


def qr_svg(url, scale=4):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=scale, border=2, xmldecl=False, title=url
    )
    return buffer.getvalue().decode()


@cache_control(public=True, max_age=3600)
def qr_code(request, code, audience, fmt):
    if fmt not in ("svg", "png"):
        raise Http404
    # The same 404s as the questionnaire the code points to.
    organisation, _campaign, _group = resolve(code, audience)
    url = survey_url(request, organisation, audience)
    if fmt == "svg":
        return HttpResponse(qr_svg(url, scale=8), content_type="image/svg+xml")
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=12, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="qr-{code}-{audience}.png"'
    return response


def leaflet(request, code):
    """An A4 page for parents' meetings: a QR code with its short link for each respondent
    group of the organisation (``offered_groups``: it may be printed before a campaign)."""
    organisation = get_object_or_404(Organisation, code=code, is_active=True)
    campaign, groups = offered_groups(organisation)
    links = []
    for group in groups:
        url = survey_url(request, organisation, group.audience)
        links.append(
            {
                "audience": group.audience,
                "title": group.title_for(campaign),
                "url": url,
                "svg": mark_safe(qr_svg(url, scale=6)),
            }
        )
    return TemplateResponse(
        request, "surveys/leaflet.html", {"organisation": organisation, "links": links}
    )
