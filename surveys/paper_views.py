"""Screens of paper and interview questionnaires (services in surveys/paper.py):

- ``/survey/paper/`` — «Бумажные анкеты»: the batches one may see, and a new batch (school
  staff: paper sheets of their own organisation; the operator's people: any organisation,
  paper or interview);
- ``/survey/paper/<code>/print/`` — the A4 sheet of a batch, for its organisation's staff and
  the operator's people; anyone else 404;
- ``/survey/paper/<code>/entry/`` — typing sheets in, one at a time, keyboard only (holders of
  ``surveys.enter_paper_responses``, never for their own organisation);
- ``/survey/paper/<code>/`` — a batch's sheets and warnings; editors accept or reject sheets.

Every screen needs a login and is private, never cached (``signed_in_view``).
"""

import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pagination import paginate
from core.views import signed_in_view
from registry.access import organisation_of
from registry.models import Organisation

from . import paper
from .forms import NONCE_FIELD, PaperEntryForm
from .models import Audience, ResponseMode


class BatchForm(forms.Form):
    """A new batch. School staff create paper batches of their own organisation only: the
    organisation and mode fields are not theirs to set."""

    organisation = forms.CharField(
        label=gettext_lazy("Код организации"),
        max_length=20,
        help_text=gettext_lazy("Код из реестра организаций."),
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Группа респондентов"), choices=Audience.choices
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Способ"),
        choices=[(m.value, m.label) for m in (ResponseMode.PAPER, ResponseMode.INTERVIEW)],
    )
    expected_count = forms.IntegerField(
        label=gettext_lazy("Сколько анкет в пачке"),
        required=False,
        min_value=1,
        max_value=5000,
        help_text=gettext_lazy("Необязательно. Анкеты сверх этого числа уйдут на проверку."),
    )

    def __init__(self, *args, own_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_organisation = own_organisation
        if own_organisation is not None:
            del self.fields["organisation"]
            del self.fields["mode"]

    def clean_organisation(self):
        code = self.cleaned_data["organisation"].strip()
        organisation = Organisation.objects.filter(code=code, is_active=True).first()
        if organisation is None:
            raise forms.ValidationError(_("Организации с таким кодом нет в реестре."))
        return organisation

    def chosen_organisation(self):
        return self.own_organisation or self.cleaned_data["organisation"]

    def chosen_mode(self):
        return self.cleaned_data.get("mode", ResponseMode.PAPER)


@signed_in_view
def index(request):
    user = request.user
    if not paper.may_use_paper(user):
        raise PermissionDenied
    operator = paper.is_editor(user) or paper.may_enter(user)
    own = None if operator else organisation_of(user)
    form = BatchForm(own_organisation=own)
    status = 200
    if request.method == "POST":
        form = BatchForm(request.POST, own_organisation=own)
        if form.is_valid():
            try:
                batch = paper.create_batch(
                    organisation=form.chosen_organisation(),
                    audience=form.cleaned_data["audience"],
                    mode=form.chosen_mode(),
                    expected_count=form.cleaned_data["expected_count"],
                    created_by=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Пачка %(code)s создана.") % {"code": batch.display_code}
                )
                target = "surveys_paper_batch" if operator else "surveys_paper_print"
                return redirect(target, code=batch.code)
        status = 400
    batches = paper.visible_batches(user)
    query = request.GET.get("q", "").strip()[:40]
    if query:
        batches = batches.filter(organisation__code=query) | batches.filter(
            code=paper.normalise_code(query)
        )
    return TemplateResponse(
        request,
        "surveys/paper/index.html",
        {
            "page_title": _("Бумажные анкеты"),
            "form": form,
            "operator": operator,
            "own": own,
            "query": query,
            "page_obj": paginate(request, batches, 100),
        },
        status=status,
    )


def visible_batch(request, code):
    return get_object_or_404(paper.visible_batches(request.user), code=paper.normalise_code(code))


def question_rows(questionnaire):
    """The sheet's questions with their numbers and routing, for print."""
    numbers = {q["key"]: n for n, q in enumerate(questionnaire.questions, start=1)}
    shown_after_yes = {
        hidden: question["key"]
        for question in questionnaire.questions
        if question.get("skip_if_no")
        for hidden in questionnaire.skipped_by({question["key"]: False})
    }
    rows = []
    for question in questionnaire.questions:
        target = question.get("skip_if_no")
        depends_on = shown_after_yes.get(question["key"])
        rows.append(
            {
                "number": numbers[question["key"]],
                "text": question["text"],
                "kind": question["kind"],
                "go_to": numbers.get(target),
                "depends_on": numbers.get(depends_on),
            }
        )
    return rows


@signed_in_view
def print_sheet(request, code):
    batch = visible_batch(request, code)
    group = paper.batch_group(batch)
    if group is None:
        raise Http404
    return TemplateResponse(
        request,
        "surveys/paper/print.html",
        {
            "batch": batch,
            "organisation": batch.organisation,
            "title": group.title_for(batch.campaign),
            "questionnaire": group.questionnaire,
            "rows": question_rows(group.questionnaire),
        },
    )


@signed_in_view
def batch_page(request, code):
    user = request.user
    if not (paper.may_enter(user) or paper.is_editor(user)):
        raise PermissionDenied
    batch = visible_batch(request, code)
    if request.method == "POST":
        if not paper.may_decide(user):
            raise PermissionDenied
        ids = [value for value in request.POST.getlist("response") if value.isdigit()]
        action = request.POST.get("action")
        if action in ("accept", "reject") and ids:
            changed = paper.decide(batch, ids, accept=action == "accept")
            messages.success(request, _("Обработано анкет: %(n)s.") % {"n": changed})
        else:
            messages.error(request, _("Выберите анкеты и действие."))
        return redirect("surveys_paper_batch", code=batch.code)
    page_obj = paginate(request, batch.responses.order_by("pk"), 200)
    page_obj.object_list = list(page_obj.object_list)
    for sheet in page_obj.object_list:
        sheet.answer_line = paper.answer_line(sheet)
    return TemplateResponse(
        request,
        "surveys/paper/batch.html",
        {
            "page_title": _("Пачка %(code)s") % {"code": batch.display_code},
            "batch": batch,
            "summary": paper.summary(batch),
            "may_decide": paper.may_decide(user),
            "may_enter": paper.may_enter_batch(user, batch),
            "page_obj": page_obj,
        },
    )


@signed_in_view
def entry(request, code):
    user = request.user
    if not paper.may_enter(user):
        raise PermissionDenied
    batch = visible_batch(request, code)
    if not paper.may_enter_batch(user, batch):
        # A school's staff may not type answers for their own school.
        raise PermissionDenied
    group = paper.batch_group(batch)
    context = {
        "page_title": _("Ввод анкет пачки %(code)s") % {"code": batch.display_code},
        "batch": batch,
        "group_title": group.title_for(batch.campaign) if group else "",
    }
    if group is None or not paper.entry_open(batch):
        return TemplateResponse(
            request, "surveys/paper/entry.html", {**context, "closed": True}, status=410
        )
    questionnaire = group.questionnaire
    status = 200
    if request.method == "POST":
        form = PaperEntryForm(questionnaire, request.POST)
        if form.is_valid():
            try:
                result = paper.enter_response(
                    batch, questionnaire, form.cleaned_data, form.cleaned_data[NONCE_FIELD]
                )
            except paper.AlreadyEntered:
                messages.info(request, _("Эта анкета уже сохранена: повторная отправка формы."))
            else:
                announce(request, result)
            return redirect("surveys_paper_entry", code=batch.code)
        status = 400
    else:
        form = PaperEntryForm(questionnaire, initial={NONCE_FIELD: secrets.token_hex(16)})
    form.focus_first_error()
    rows = form.question_rows()
    return TemplateResponse(
        request,
        "surveys/paper/entry.html",
        {
            **context,
            "form": form,
            "summary": paper.summary(batch),
            # The one-key questions in a grid; the free text beside the answer line.
            "key_rows": [row for row in rows if row["field"].name in form.yes_no_keys],
            "text_rows": [row for row in rows if row["field"].name not in form.yes_no_keys],
        },
        status=status,
    )


def announce(request, result):
    if not result.reasons:
        messages.success(
            request, _("Анкета № %(number)s сохранена. Следующая.") % {"number": result.number}
        )
        return
    text = _(
        "Анкета № %(number)s сохранена, но отложена на проверку: %(reasons)s. Возможно, пачку "
        "вводят повторно — проверьте стопку. Решение примет редактор."
    ) % {"number": result.number, "reasons": "; ".join(result.reasons)}
    if result.also_held:
        text += " " + _("Вместе с ней на проверку отложены предыдущие анкеты: %(n)s.") % {
            "n": result.also_held
        }
    messages.warning(request, text)
