"""The checklist form: one row per item (present or not, a note, a photo where needed).

The same form serves the school's self-assessment, the expert's observation sheet and the
editor's confirmation of a monitoring checklist. Photos go through the portal's image
validation (content-sniffed type, pixel limit, markup refusal, EXIF stripped) and are stored
in the organisation's own collection.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

from core.uploads import PortalImageField, contains_markup, without_metadata

from .models import ChecklistAnswer
from .services import TransitionError, ordered_answers, submit

PRESENT_CHOICES = [("yes", _("Есть")), ("no", _("Нет"))]


class AnswerForm(forms.Form):
    present = forms.ChoiceField(
        label=_("Выполняется"), choices=PRESENT_CHOICES, required=False, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Примечание"), max_length=500, required=False)
    photo = PortalImageField(label=_("Фотография"), required=False)
    remove_photo = forms.BooleanField(label=_("Удалить фотографию"), required=False)

    def __init__(self, *args, answer, **kwargs):
        self.answer = answer
        initial = {
            "present": {True: "yes", False: "no"}.get(answer.present, ""),
            "note": answer.note,
        }
        super().__init__(*args, prefix=f"item-{answer.item_id}", initial=initial, **kwargs)
        if not answer.item.photo_required:
            del self.fields["photo"]
            del self.fields["remove_photo"]
        elif answer.photo_id is None:
            del self.fields["remove_photo"]

    def mark_gap(self, gap):
        """Mark this item as what keeps the checklist from being submitted: the message is
        shown in place and the inputs are flagged invalid and described by it."""
        self.gap = gap
        attrs = {"aria-invalid": "true", "aria-describedby": self.gap_id}
        field = "photo" if gap.reason == gap.NO_PHOTO and "photo" in self.fields else "present"
        self.fields[field].widget.attrs.update(attrs)
        self.gap_field = field

    gap = None
    gap_field = None

    @property
    def gap_id(self):
        return f"item-{self.answer.item_id}-gap"

    def clean_note(self):
        note = self.cleaned_data["note"]
        if "\x00" in note:
            raise ValidationError(_("Недопустимые символы в примечании."))
        return note.strip()

    def clean_photo(self):
        uploaded = self.cleaned_data.get("photo")
        if not uploaded:
            return None
        if contains_markup(uploaded):
            raise ValidationError(
                _("Файл содержит HTML или скрипт и не может быть загружен как изображение.")
            )
        return without_metadata(uploaded)


class ChecklistForm:
    """The item forms of one checklist, validated and saved together: all of them, or one
    section's (``section``: a section code), so that saving a section leaves the answers of
    the others as they are."""

    def __init__(self, checklist, data=None, files=None, *, section=None):
        self.checklist = checklist
        self.answers = ordered_answers(checklist)
        if section is not None:
            self.answers = [a for a in self.answers if a.item.section == section]
        self.forms = [AnswerForm(data, files, answer=a) for a in self.answers]

    def mark_gaps(self, gaps):
        """Mark the items of ``gaps`` that this form shows."""
        by_item = {gap.item.pk: gap for gap in gaps}
        for form in self.forms:
            if form.answer.item_id in by_item:
                form.mark_gap(by_item[form.answer.item_id])

    def __iter__(self):
        return iter(self.forms)

    def sections(self):
        """[(section label, [form, …])] in template order."""
        grouped = []
        for form in self.forms:
            label = form.answer.item.get_section_display()
            if not grouped or grouped[-1][0] != label:
                grouped.append((label, []))
            grouped[-1][1].append(form)
        return grouped

    @property
    def errors(self):
        return [f for f in self.forms if f.errors]

    def is_valid(self):
        return all(form.is_valid() for form in self.forms)

    @transaction.atomic
    def save(self, user, *, confirm=False):
        """Store every answer; photos are created only now, after the whole form validated,
        so a rejected form leaves no orphaned files behind."""
        image_model = get_image_model()
        organisation = self.checklist.organisation
        saved_files = []
        try:
            for form in self.forms:
                answer = form.answer
                data = form.cleaned_data
                answer.present = {"yes": True, "no": False}.get(data["present"])
                answer.note = data["note"]
                if confirm:
                    answer.confirmed = True
                if data.get("remove_photo"):
                    answer.photo = None
                if data.get("photo"):
                    image = image_model(
                        title=f"{organisation.short_name or organisation.name}: {answer.item.text}"[
                            :255
                        ],
                        file=data["photo"],
                        collection_id=organisation.collection_id,
                        uploaded_by_user=user if user.is_authenticated else None,
                    )
                    image.save()
                    saved_files.append(image.file.name)
                    answer.photo = image
            ChecklistAnswer.objects.bulk_update(
                [form.answer for form in self.forms],
                ["present", "note", "photo", "confirmed"],
            )
        except Exception:
            # The transaction forgets the rows; remove the files it cannot forget.
            for name in saved_files:
                image_model._meta.get_field("file").storage.delete(name)
            raise
        self.checklist.save(update_fields=["updated_at"])

    def save_and_submit(self, user, *, submit_requested, confirm=False):
        """Save the answers and, when asked, submit the checklist; the reason a submission
        was refused (the answers stay saved as a draft), or None."""
        self.save(user, confirm=confirm)
        if submit_requested:
            try:
                submit(self.checklist, user)
            except TransitionError as error:
                return str(error)
        return None
