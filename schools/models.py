"""The organisations' public pages: the directory, one profile page per organisation (with its
result card and the open campaign's questionnaires embedded), and their moderation.

Page composition: this is where the registry, surveys and results meet on one page."""

from urllib.parse import urlparse

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState
from wagtail.search import index

from core.breadcrumbs import page_trail
from core.page_queries import OneChildTypeRouting
from core.pages import BasePage
from core.pagination import paginate
from core.search import clean_query
from home.blocks import DocumentLinkBlock, ImageWithCaptionBlock
from registry.models import REGISTRY_PERMISSION, Municipality, Organisation
from surveys.forms import SurveyForm, blank_questions_html
from surveys.models import campaign_for

from .file_scope import check_own_files
from .moderation import ModerationStatusPanel, after_review_url
from .result_card import card_context

SCHOOLS_PER_PAGE = 20
SCHOOL_TEXT_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Название или адрес"), required=False, max_length=200)
    municipality = forms.ModelChoiceField(
        label=_("Муниципалитет"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Все муниципалитеты"),
    )
    kind = forms.ChoiceField(
        label=_("Тип организации"),
        required=False,
        choices=[("", _("Все типы")), *Organisation.Kind.choices],
    )

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])


class SchoolIndexPage(RoutablePageMixin, OneChildTypeRouting, BasePage):
    """The directory of organisations, and one page per municipality under ``m/<slug>/``."""

    parent_page_types = ["home.HomePage"]
    subpage_types = ["schools.SchoolPage"]
    max_count = 1
    template = "schools/school_index_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("каталог организаций")
        verbose_name_plural = _("каталоги организаций")

    def child_pages(self):
        # A school's page shows its organisation and municipality: read with the page
        # (core/page_queries.py), not one query each while rendering.
        return SchoolPage.objects.select_related("organisation__municipality")

    def school_pages(self):
        return (
            SchoolPage.objects.live()
            .public()
            .child_of(self)
            .filter(organisation__is_active=True)
            .select_related("organisation__municipality")
            .order_by("organisation__name")
        )

    @path("")
    def directory(self, request):
        form = DirectoryFilterForm(request.GET or None)
        schools = self.school_pages()
        query = ""
        search_degraded = False
        if form.is_valid():
            query = form.cleaned_data["q"]
            if form.cleaned_data["municipality"]:
                schools = schools.filter(
                    organisation__municipality=form.cleaned_data["municipality"]
                )
            if form.cleaned_data["kind"]:
                schools = schools.filter(organisation__kind=form.cleaned_data["kind"])
            if query:
                found = Organisation.objects.search_ids(query)
                schools = schools.filter(organisation__in=found.results)
                search_degraded = found.degraded
        return self.render(
            request,
            context_overrides={
                "filter_form": form,
                "query": query,
                "empty_hints": self.empty_hints(form, query),
                "search_degraded": search_degraded,
                "schools_page": paginate(request, schools, SCHOOLS_PER_PAGE),
                "municipalities": Municipality.objects.all(),
            },
        )

    def empty_hints(self, form, query):
        """Links to try when the directory lists nothing: without the filters, the whole
        site's search, the directory from the start."""
        hints = []
        filtered = form.is_valid() and (
            form.cleaned_data["municipality"] or form.cleaned_data["kind"]
        )
        if filtered and query:
            hints.append(
                {
                    "url": f"{self.url}?{urlencode({'q': query})}",
                    "label": _("Искать во всех муниципалитетах и среди всех типов"),
                }
            )
        if query:
            hints.append(
                {
                    "url": f"{reverse('search')}?{urlencode({'q': query})}",
                    "label": _("Искать по всему сайту"),
                }
            )
        hints.append({"url": self.url, "label": _("Показать все организации")})
        return hints

    @path("m/<slug:slug>/", name="municipality")
    def municipality(self, request, slug):
        municipality = get_object_or_404(Municipality, slug=slug)
        return self.render(
            request,
            template="schools/municipality_page.html",
            context_overrides={
                "breadcrumbs": page_trail(self, current=municipality.name),
                "municipality": municipality,
                "schools": self.school_pages().filter(organisation__municipality=municipality),
            },
        )


def validate_bus_gov_url(value):
    host = urlparse(value).hostname or ""
    if host != "bus.gov.ru" and not host.endswith(".bus.gov.ru"):
        raise ValidationError(_("Укажите ссылку на карточку организации на сайте bus.gov.ru."))


class SchoolPage(BasePage):
    """An organisation's public profile. Created from the registry; the school edits its own
    content, which reaches the public site only after moderation."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="page",
        verbose_name=_("организация"),
    )
    about = RichTextField(_("об организации"), blank=True, features=SCHOOL_TEXT_FEATURES)
    director_name = models.CharField(_("руководитель: ФИО"), max_length=200, blank=True)
    director_position = models.CharField(
        _("руководитель: должность"), max_length=200, blank=True, default="Директор"
    )
    phone = models.CharField(_("телефон"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    working_hours = models.CharField(_("часы работы"), max_length=255, blank=True)
    programmes = RichTextField(
        _("образовательные программы"), blank=True, features=SCHOOL_TEXT_FEATURES
    )
    accessibility = RichTextField(
        _("доступная среда"),
        blank=True,
        features=SCHOOL_TEXT_FEATURES,
        help_text=_(
            "Условия для обучающихся с инвалидностью и ОВЗ: пандусы, навигация, "
            "помощь сопровождающих, адаптированные программы."
        ),
    )
    gallery = StreamField(
        [("image", ImageWithCaptionBlock())],
        blank=True,
        verbose_name=_("фотогалерея"),
    )
    documents = StreamField(
        [("document", DocumentLinkBlock(label=_("Документ")))],
        blank=True,
        verbose_name=_("документы"),
    )
    bus_gov_url = models.URLField(
        _("карточка на bus.gov.ru"), blank=True, validators=[validate_bus_gov_url]
    )

    parent_page_types = ["schools.SchoolIndexPage"]
    subpage_types = []
    # Pages are created from the registry, never by hand.
    is_creatable = False
    template = "schools/school_page.html"

    # Registry-owned fields (title, slug) are shown to editors only: a panel with a
    # permission the user lacks is left out of the form, so values posted for it are ignored.
    content_panels = [
        # Where the school's last change stands: on the editor it reopens after submitting.
        ModerationStatusPanel(),
        FieldPanel("title", permission=REGISTRY_PERMISSION),
        FieldPanel("intro"),
        FieldPanel("about"),
        MultiFieldPanel(
            [FieldPanel("director_name"), FieldPanel("director_position")],
            heading=_("Руководитель"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("working_hours")],
            heading=_("Контакты"),
        ),
        FieldPanel("programmes"),
        FieldPanel("accessibility"),
        FieldPanel("gallery"),
        FieldPanel("documents"),
        FieldPanel("bus_gov_url"),
    ]
    promote_panels = [
        FieldPanel("slug", permission=REGISTRY_PERMISSION),
        FieldPanel("seo_title", permission=REGISTRY_PERMISSION),
        FieldPanel("search_description"),
    ]
    settings_panels = []

    search_fields = [
        *BasePage.search_fields,
        index.SearchField("about"),
        index.SearchField("programmes"),
        index.FilterField("organisation_id"),
    ]

    class Meta:
        verbose_name = _("страница организации")
        verbose_name_plural = _("страницы организаций")

    def full_clean(self, *args, **kwargs):
        # The registry is the source of truth for the name, whatever a revision carries.
        if self.organisation_id:
            self.title = self.organisation.name
            self.draft_title = self.organisation.name
        super().full_clean(*args, **kwargs)
        if self.organisation_id:
            check_own_files(self)

    def save(self, *args, **kwargs):
        if self.organisation_id:
            self.title = self.organisation.name
            if not self.has_unpublished_changes or not self.draft_title:
                self.draft_title = self.organisation.name
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["organisation"] = self.organisation
        context["municipality"] = self.organisation.municipality
        # The organisation's open campaign, as the questionnaire pages find it (remembered per
        # process, so the 2,000 school pages of a region do not each query it).
        context["open_campaign"] = campaign = campaign_for(self.organisation)
        context["survey_forms"] = embedded_survey_forms(campaign, self.organisation)
        context.update(card_context(self.organisation))
        return context


def embedded_survey_forms(campaign, organisation):
    """The questionnaires of the organisation's respondent groups in its open campaign, ready
    to answer on its page. Only the kind's groups: a kindergarten offers its parents'
    questionnaire alone.

    The forms are the same for every visitor, so that the page may be kept by the page cache
    and by proxies: what is the visitor's own (the signed form token, the CSRF token, «already
    answered») comes from ``surveys.views.form_tokens``, fetched by js/survey-embed.js, which
    shows a form only once its token is in. Without JavaScript the page offers the links to
    the questionnaire pages (private, each with its own token)."""
    if campaign is None:
        return []
    return [
        {
            "audience": group.audience,
            "title": group.title_for(campaign),
            "form": SurveyForm(group.questionnaire, auto_id=f"{group.audience}-%s"),
            "questions_html": blank_questions_html(group.questionnaire, group.audience),
            "prefix": f"{group.audience}-",
            "action": reverse("survey", args=[organisation.code, group.audience]),
        }
        for group in campaign.groups_for(organisation)
    ]


class SchoolModerationTask(AbstractGroupApprovalTask):
    """Approval of a school's profile changes.

    Reviewers are the task's groups (the operator's editors) and the coordinators of the
    school's municipality. Whoever made the change under review never approves it, superusers
    included: a second pair of eyes is the point of moderation.
    """

    def _organisation(self, obj):
        return getattr(obj.specific_deferred, "organisation", None)

    def _is_municipal_coordinator(self, obj, user):
        organisation = self._organisation(obj)
        if organisation is None:
            return False
        group_id = organisation.municipality.coordinator_group_id
        return bool(group_id) and user.groups.filter(pk=group_id).exists()

    def can_review(self, obj, user):
        return user.is_active and (
            user.is_superuser
            or self._user_in_groups(user)
            or self._is_municipal_coordinator(obj, user)
        )

    def is_author(self, obj, user):
        workflow_state = obj.current_workflow_state
        if workflow_state and workflow_state.requested_by_id == user.pk:
            return True
        revision = obj.get_latest_revision()
        return bool(revision and revision.user_id == user.pk)

    def user_can_access_editor(self, obj, user):
        return self.can_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.can_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.can_review(obj, user)

    def get_actions(self, obj, user):
        if not self.can_review(obj, user) or self.is_author(obj, user):
            return []
        return [
            ("reject", _("Вернуть на доработку"), True),
            ("approve", _("Одобрить"), False),
            ("approve", _("Одобрить с комментарием"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        # The admin only offers allowed actions, but a crafted POST must not approve either.
        obj = task_state.revision.content_object
        if action_name not in {name for name, _label, _form in self.get_actions(obj, user)}:
            raise PermissionDenied
        super().on_action(task_state, user, action_name, **kwargs)
        # Wagtail then redirects to the page's editor, which a coordinator may no longer
        # open once the review is done («нет доступа в эту область»): send them elsewhere.
        return after_review_url(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        in_progress = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser or self._user_in_groups(user):
            return in_progress
        municipality_ids = Municipality.objects.filter(
            coordinator_group__in=user.groups.all()
        ).values_list("pk", flat=True)
        page_ids = SchoolPage.objects.filter(
            organisation__municipality__in=municipality_ids
        ).values_list("pk", flat=True)
        return in_progress.filter(workflow_state__object_id__in=[str(pk) for pk in page_ids])

    @classmethod
    def get_description(cls):
        return _(
            "Редакторы оператора или координатор муниципалитета; автор правки не может "
            "одобрить её сам"
        )

    class Meta:
        verbose_name = _("модерация страницы организации")
        verbose_name_plural = _("модерация страниц организаций")
