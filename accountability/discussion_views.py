"""The public discussion of a year's results: the public page with its form, the organisation
staff's answers in the cabinet, and the editors' moderation and exports.

- ``/year/<year>/discussion/`` (``?organisation=<code>`` for one organisation's result):
  published entries with their answers, and the form while the discussion is open. Private,
  never stored by a cache (CSRF cookie, a signed timestamp per form).
- ``/cabinet/discussion/``: published entries about the staff member's own organisation,
  each with the organisation's answer; another organisation's entry answers 404.
- ``/admin/accountability/discussion/…``: moderation (publish, reject, the operator's
  answer) and exports, for the operator's editors only.

Everything is decided in ``accountability.discussion``; the views only read and hand over.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks

from core.admin import PermissionMenuItem, admin_page, require_permissions
from core.pagination import paginate
from core.throttle import client_address
from core.views import signed_in_view

from . import discussion_exports
from .access import OPERATOR_PERMISSION, is_operator, organisation_of
from .discussion import (
    DiscussionClosed,
    Proposal,
    answer_entry,
    commentable_organisations,
    entries_for_organisation,
    is_open,
    may_answer,
    publish_entry,
    published_entries,
    reject_entry,
    submit_entry,
)
from .forms_discussion import HONEYPOT_FIELD, AnswerForm, ProposalForm
from .models import Discussion, DiscussionEntry
from .viewsets import discussion_viewsets
from .year_views import follow_up_trail, year_link

ENTRIES_PER_PAGE = 20
ADMIN_ENTRIES_PER_PAGE = 50
CODE_MAX_LENGTH = 20

# The page carries a form with a CSRF cookie and a signed timestamp: no shared cache keeps it.
private_page = cache_control(private=True, no_store=True, max_age=0)


def chosen_organisation(request, year):
    """The organisation of ``?organisation=<code>``: one with a published result in ``year``,
    else 404; None without the parameter."""
    code = request.GET.get("organisation", "").strip()
    if not code:
        return None
    if len(code) > CODE_MAX_LENGTH:
        raise Http404
    return get_object_or_404(
        commentable_organisations(year).select_related("municipality"), code=code
    )


def organisation_query(organisation):
    return f"?{urlencode({'organisation': organisation.code})}" if organisation else ""


@private_page
@require_http_methods(["GET", "POST"])
def discussion_page(request, year):
    discussion = get_object_or_404(Discussion, year=year)
    organisation = chosen_organisation(request, year)
    context = {
        "breadcrumbs": follow_up_trail(year_link(year), current=_("Обсуждение")),
        "year": year,
        "discussion": discussion,
        "organisation": organisation,
        "is_open": is_open(discussion),
    }
    if request.method == "POST":
        if not context["is_open"]:
            # Nothing is stored once the discussion is closed; say so plainly.
            return TemplateResponse(
                request, "accountability/discussion/closed.html", context, status=410
            )
        form = ProposalForm(request.POST, discussion=discussion)
        if form.is_valid():
            proposal = Proposal(
                discussion=discussion,
                text=form.cleaned_data["text"],
                author_name=form.cleaned_data["author_name"],
                organisation=organisation,
                honeypot_filled=bool(form.cleaned_data.get(HONEYPOT_FIELD)),
                seconds_to_fill=form.cleaned_data["seconds_to_fill"],
            )
            try:
                submit_entry(proposal, client_address(request))
            except DiscussionClosed:
                return TemplateResponse(
                    request, "accountability/discussion/closed.html", context, status=410
                )
            except ValidationError as error:
                raise Http404 from error
            # A redirect: reloading the thank-you page sends nothing again.
            thanks = reverse("accountability_discussion_thanks", args=[year])
            return redirect(thanks + organisation_query(organisation))
        form.with_fresh_token()
        status = 400
    else:
        form = ProposalForm(discussion=discussion) if context["is_open"] else None
        status = 200
    entries = published_entries(discussion, organisation)
    context.update(
        {
            "form": form,
            "entries_page": paginate(request, entries, ENTRIES_PER_PAGE),
            "organisation_query": organisation_query(organisation),
        }
    )
    return TemplateResponse(request, "accountability/discussion/page.html", context, status=status)


@private_page
def discussion_thanks(request, year):
    discussion = get_object_or_404(Discussion, year=year)
    organisation = chosen_organisation(request, year)
    return TemplateResponse(
        request,
        "accountability/discussion/thanks.html",
        {
            "year": year,
            "discussion": discussion,
            "organisation": organisation,
            "organisation_query": organisation_query(organisation),
        },
    )


# --- The organisation's answers (cabinet) --------------------------------------------------


def own_organisation(user):
    """The organisation ``user`` answers for; 403 for anyone who is no organisation's staff."""
    organisation = organisation_of(user)
    if organisation is None:
        raise PermissionDenied
    return organisation


@signed_in_view
def cabinet_entries(request):
    organisation = own_organisation(request.user)
    entries = entries_for_organisation(organisation)
    return TemplateResponse(
        request,
        "accountability/discussion/cabinet.html",
        {
            "page_title": _("Обсуждение результатов: ответы организации"),
            "organisation": organisation,
            "entries_page": paginate(request, entries, ENTRIES_PER_PAGE),
            "answer_form": AnswerForm(),
        },
    )


@signed_in_view
@require_POST
def cabinet_answer(request, pk):
    organisation = own_organisation(request.user)
    # Another organisation's entry, or one not published, is not there at all (404).
    entry = get_object_or_404(entries_for_organisation(organisation), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid() and may_answer(request.user, entry):
        answer_entry(entry, request.user, form.cleaned_data["answer"])
        messages.success(request, _("Ответ сохранён и опубликован вместе с предложением."))
        return redirect("accountability_cabinet_discussion")
    return TemplateResponse(
        request,
        "accountability/discussion/cabinet_answer.html",
        {
            "page_title": _("Ответ на предложение"),
            "organisation": organisation,
            "entry": entry,
            "form": form,
        },
        status=400,
    )


# --- Moderation (editors) -------------------------------------------------------------------

operator_only = require_permissions(OPERATOR_PERMISSION)
WAITING = "waiting"
STATUS_FILTERS = {
    WAITING: (DiscussionEntry.Status.PENDING, DiscussionEntry.Status.HELD),
    **{status.value: (status.value,) for status in DiscussionEntry.Status},
    "all": tuple(DiscussionEntry.Status.values),
}


def filtered_entries(request):
    """Entries of the chosen year and status (waiting for moderation unless asked otherwise)."""
    entries = DiscussionEntry.objects.select_related("discussion", "organisation")
    year = request.GET.get("year", "")
    if year.isdigit():
        entries = entries.filter(discussion__year=int(year))
    status = request.GET.get("status", WAITING)
    if status not in STATUS_FILTERS:
        status = WAITING
    code = request.GET.get("organisation", "").strip()[:CODE_MAX_LENGTH]
    if code:
        entries = entries.filter(organisation__code=code)
    entries = entries.filter(status__in=STATUS_FILTERS[status])
    return entries.order_by("-submitted_on", "-pk"), status, year, code


@operator_only
@require_http_methods(["GET", "POST"])
def moderation_index(request):
    entries, status, year, code = filtered_entries(request)
    if request.method == "POST":
        action = request.POST.get("action")
        ids = [value for value in request.POST.getlist("entry") if value.isdigit()]
        decide = {"publish": publish_entry, "reject": reject_entry}.get(action)
        if decide is None or not ids:
            messages.error(request, _("Выберите предложения и действие."))
        else:
            chosen = DiscussionEntry.objects.filter(pk__in=ids)
            for entry in chosen:
                decide(entry, request.user)
            messages.success(request, _("Обработано предложений: %(n)s.") % {"n": len(chosen)})
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    query = request.GET.copy()
    query.pop("page", None)
    return admin_page(
        request,
        "accountability/discussion/admin_index.html",
        _("Общественное обсуждение: предложения"),
        icon="comment",
        page_obj=paginate(request, entries, ADMIN_ENTRIES_PER_PAGE),
        status_choices=[
            (WAITING, _("ждут модерации")),
            *DiscussionEntry.Status.choices,
            ("all", _("все")),
        ],
        chosen_status=status,
        chosen_year=year,
        chosen_code=code,
        years=Discussion.objects.order_by("-year").values_list("year", flat=True),
        filter_query=query.urlencode(),
        formats=discussion_exports.FORMATS,
    )


@operator_only
@require_http_methods(["GET", "POST"])
def moderation_entry(request, pk):
    entry = get_object_or_404(
        DiscussionEntry.objects.select_related("discussion", "organisation", "moderated_by"), pk=pk
    )
    form = AnswerForm(initial={"answer": entry.answer})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publish":
            publish_entry(entry, request.user)
            messages.success(request, _("Предложение опубликовано."))
            return redirect("accountability_discussion_entry", pk=entry.pk)
        if action == "reject":
            reject_entry(entry, request.user)
            messages.success(request, _("Предложение отклонено."))
            return redirect("accountability_discussion_entry", pk=entry.pk)
        if action == "answer":
            form = AnswerForm(request.POST)
            if form.is_valid():
                answer_entry(entry, request.user, form.cleaned_data["answer"])
                messages.success(request, _("Ответ оператора сохранён."))
                return redirect("accountability_discussion_entry", pk=entry.pk)
    return admin_page(
        request,
        "accountability/discussion/admin_entry.html",
        _("Предложение в обсуждении %(year)s") % {"year": entry.discussion.year},
        icon="comment",
        status=400 if form.errors else 200,
        entry=entry,
        form=form,
    )


@operator_only
def moderation_export(request, fmt):
    if fmt not in discussion_exports.FORMATS:
        raise Http404
    entries, _status, year, _code = filtered_entries(request)
    response = HttpResponse(
        discussion_exports.export(entries, fmt), content_type=discussion_exports.CONTENT_TYPES[fmt]
    )
    suffix = f"-{year}" if year.isdigit() else ""
    response["Content-Disposition"] = f'attachment; filename="discussion{suffix}.{fmt}"'
    return response


@hooks.register("register_accountability_menu_item")
def register_moderation_menu_item():
    return PermissionMenuItem(
        _("Общественное обсуждение: предложения"),
        reverse("accountability_discussion_entries"),
        name="accountability-discussion-entries",
        icon_name="comment",
        order=404,
        check=is_operator,
    )


urlpatterns = [
    path("year/<int:year>/discussion/", discussion_page, name="accountability_discussion"),
    path(
        "year/<int:year>/discussion/thanks/",
        discussion_thanks,
        name="accountability_discussion_thanks",
    ),
    path("cabinet/discussion/", cabinet_entries, name="accountability_cabinet_discussion"),
    path(
        "cabinet/discussion/<int:pk>/answer/",
        cabinet_answer,
        name="accountability_cabinet_discussion_answer",
    ),
]
admin_urlpatterns = [
    path(
        "accountability/discussion/",
        moderation_index,
        name="accountability_discussion_entries",
    ),
    path(
        "accountability/discussion/<int:pk>/",
        moderation_entry,
        name="accountability_discussion_entry",
    ),
    path(
        "accountability/discussion/export.<str:fmt>",
        moderation_export,
        name="accountability_discussion_export",
    ),
]


def viewsets():
    """The discussions themselves (open, close, intro, summary)."""
    return discussion_viewsets()
