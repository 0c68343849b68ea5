"""Public questionnaire pages: /survey/<code>/<audience>/ (and its embeddable twin).

The audience is the URL segment of a respondent group; a group the organisation's kind does
not have (a kindergarten's ``students``) is 404, in or out of a campaign."""

import time
from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from core.memo import Memo
from core.throttle import client_address
from registry.models import Organisation

from . import services
from .forms import HONEYPOT_FIELD, STALE_FORM, TOKEN_FIELD, SurveyForm, quick_clean
from .models import Audience, campaign_for, kind_has_audience
from .tokens import has_answered, issue_token, mark_answered, read_token

# Survey pages are personal (CSRF cookie, "already answered"): no shared cache may keep them.
private_page = cache_control(private=True, no_store=True, max_age=0)


def resolve(code, audience):
    """The organisation, its open campaign and the respondent group at ``audience`` there.

    404 for an unknown code, and for a group the organisation's kind does not have: in its
    campaign's methodology version, or, outside a campaign, in any version. Outside a campaign
    a known group has no campaign and no group (the caller answers «closed»)."""
    if audience not in Audience.values:
        raise Http404
    organisation = active_organisation(code)
    campaign = campaign_for(organisation)
    if campaign is None:
        if not kind_has_audience(organisation.kind, audience):
            raise Http404
        return organisation, None, None
    group = campaign.group_for(organisation, audience)
    if group is None:
        raise Http404
    return organisation, campaign, group


# Remembered by the process for PROCESS_MEMO_SECONDS, like the open campaign (models.py).
active_organisations = Memo("active organisations by code")


def active_organisation(code):
    """The active organisation with this code. The registry changes rarely, and at a peak this
    lookup would otherwise run per submission. A registry save clears the memory at once in
    the process that saved; elsewhere a deactivation takes effect within the memo's bound."""
    organisation = active_organisations.get(
        code,
        lambda: (
            Organisation.objects.select_related("municipality")
            .filter(code=code, is_active=True)
            .first()
        ),
        settings.PROCESS_MEMO_SECONDS,
    )
    if organisation is None:
        raise Http404
    return organisation


def render(request, template, context, status=200, embed=False):
    base = "surveys/embed_base.html" if embed else "base.html"
    return TemplateResponse(request, template, {**context, "base_template": base}, status=status)


@private_page
@require_http_methods(["GET", "POST"])
def questionnaire(request, code, audience, embed=False):
    organisation, campaign, group = resolve(code, audience)
    context = {"organisation": organisation, "audience": Audience(audience), "embed": embed}
    if group is None:
        # Nothing is stored outside a campaign window (security.md case 11).
        return render(request, "surveys/closed.html", context, status=410, embed=embed)
    questionnaire = group.questionnaire
    context.update({"campaign": campaign, "group_title": group.title_for(campaign)})
    if has_answered(request, campaign, organisation, audience):
        return render(request, "surveys/already_answered.html", context, embed=embed)

    if request.method == "GET":
        form = SurveyForm(
            questionnaire, initial={TOKEN_FIELD: issue_token(campaign, organisation, audience)}
        )
        return render(request, "surveys/questionnaire.html", {**context, "form": form}, embed=embed)

    token = read_token(request.POST.get(TOKEN_FIELD), campaign, organisation, audience)
    cleaned = quick_clean(questionnaire, request.POST) if token is not None else None
    if cleaned is None:
        form = SurveyForm(questionnaire, request.POST)
        cleaned = form.cleaned_data if form.is_valid() else None
    if cleaned is None or token is None:
        if token is None:
            if STALE_FORM not in form.non_field_errors():
                form.add_error(None, STALE_FORM)
            # A fresh token, so that the corrected form can be sent again.
            form.data = form.data.copy()
            form.data[TOKEN_FIELD] = issue_token(campaign, organisation, audience)
        return render(
            request,
            "surveys/questionnaire.html",
            {**context, "form": form},
            status=400,
            embed=embed,
        )

    submission = services.Submission(
        campaign=campaign,
        organisation=organisation,
        audience=audience,
        questionnaire=questionnaire,
        answers=cleaned["answers"],
        suggestion=cleaned["suggestion"],
        nonce=token["n"],
        honeypot_filled=bool(cleaned.get(HONEYPOT_FIELD)),
        seconds_to_fill=time.time() - token["t"],
    )
    try:
        services.submit(submission, client_address(request))
    except services.AlreadyAnswered:
        response = render(request, "surveys/already_answered.html", context, embed=embed)
    else:
        # The thank-you page sits right under the questionnaire's own address (see urls.py);
        # building it from the path spares a URL reversal on the hottest path of a peak.
        response = HttpResponseRedirect(f"{request.path}thanks/")
    mark_answered(response, request, campaign, organisation, audience, embed)
    return response


@private_page
@require_GET
def form_tokens(request, code):
    """What of the questionnaires embedded on a school's page belongs to this visitor: per
    respondent group a fresh signed form token, or that this browser has answered already;
    and the CSRF token the forms are sent with. The page itself is the same for everyone and
    kept by caches; this small answer is nobody's but the visitor's (private, no-store)."""
    organisation = active_organisation(code)
    campaign = campaign_for(organisation)
    groups = {}
    if campaign is not None:
        for group in campaign.groups_for(organisation):
            audience = group.audience
            if has_answered(request, campaign, organisation, audience):
                note = _("Вы уже ответили на эту анкету с этого устройства. Спасибо!")
                groups[audience] = {"answered": True, "note": note}
            else:
                token = issue_token(campaign, organisation, audience)
                groups[audience] = {"answered": False, "token": token}
    return JsonResponse({"csrf": get_token(request), "groups": groups})


@private_page
def thanks(request, code, audience, embed=False):
    organisation, campaign, _group = resolve(code, audience)
    # The browser did not bring the mark back: it refuses cookies inside other sites'
    # frames. Say so, or the respondent meets the questionnaire again as if unanswered.
    mark_refused = (
        embed
        and campaign is not None
        and not has_answered(request, campaign, organisation, audience)
    )
    return render(
        request,
        "surveys/thanks.html",
        {
            "organisation": organisation,
            "audience": Audience(audience),
            "mark_refused": mark_refused,
        },
        embed=embed,
    )


def frameable(view):
    """An embed route, and every page it answers with (errors included), may be framed by
    any site: schools paste it into their own websites."""

    @wraps(view)
    def framed_view(request, code, audience):
        try:
            response = view(request, code, audience, embed=True)
        except Http404:
            response = render(
                request, "surveys/not_found.html", {"embed": True}, status=404, embed=True
            )
            patch_cache_control(response, private=True, no_store=True, max_age=0)
        return response

    # The site's own policy, but any site may frame these pages.
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(framed_view))


# Exempt from CSRF on purpose. Inside another site's iframe the browser keeps no SameSite=Lax
# cookie, so the CSRF cookie never came back and every answer was refused (403). What CSRF
# guards against here is guarded by the signed form token instead (tokens.py): issued with the form,
# bound to the organisation, audience and campaign, valid for TOKEN_MAX_AGE, and good for one
# response only (its nonce is unique among stored responses). The questionnaire is anonymous:
# there is no signed-in visitor whose authority a forged request could borrow.
questionnaire_embed = csrf_exempt(frameable(questionnaire))
thanks_embed = frameable(thanks)
