"""Where a school's profile page stands in moderation, in words its staff understand.

Read from Wagtail's workflow records (``WorkflowState``, its current ``TaskState`` with the
reviewer's comment) and the page's own flags; shown on the admin dashboard («Моя страница»),
at the top of the page editor and in the coordinator's lists. Nothing here changes a page.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel
from wagtail.models import Page, TaskState, WorkflowState

from registry.access import coordinated_municipalities

LIVE = "live"
DRAFT = "draft"
IN_MODERATION = "in_moderation"
NEEDS_CHANGES = "needs_changes"
NOT_LIVE = "not_live"


@dataclass(frozen=True)
class PageStatus:
    state: str
    label: str
    explanation: str
    task_name: str = ""
    since: datetime | None = None
    reviewer: str = ""
    comment: str = ""
    open_comments: int = 0

    @property
    def pending(self):
        return self.state == IN_MODERATION


def person(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def open_comment_count(page):
    """Unresolved comments left on the page's fields in the editor (Wagtail's commenting)."""
    return page.wagtail_admin_comments.filter(resolved_at__isnull=True).count()


def last_review(page):
    """The last finished review of the page (approved or sent back), or None."""
    return (
        TaskState.objects.for_instance(page)
        .filter(status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED])
        .select_related("finished_by", "task")
        .order_by("-finished_at", "-pk")
        .first()
    )


def moderation_status(page):
    """A :class:`PageStatus` of ``page``: in moderation (with the task and since when), sent
    back for changes (with the reviewer and their comment), a draft not yet submitted, live,
    or not published."""
    comments = open_comment_count(page)
    workflow_state = page.current_workflow_state
    if workflow_state is not None:
        task_state = workflow_state.current_task_state
        if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
            return PageStatus(
                IN_MODERATION,
                _("на проверке"),
                _(
                    "Изменения ждут одобрения координатора муниципалитета или редактора "
                    "оператора. До одобрения на сайте прежняя версия страницы."
                ),
                task_name=task_state.task.name if task_state else "",
                since=task_state.started_at if task_state else workflow_state.created_at,
                open_comments=comments,
            )
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return PageStatus(
                NEEDS_CHANGES,
                _("возвращена на доработку"),
                _(
                    "Проверяющий вернул изменения. Исправьте страницу и отправьте её на "
                    "проверку снова; до одобрения на сайте прежняя версия."
                ),
                task_name=task_state.task.name if task_state else "",
                since=task_state.finished_at if task_state else None,
                reviewer=person(task_state.finished_by) if task_state else "",
                comment=task_state.comment if task_state else "",
                open_comments=comments,
            )
    if page.has_unpublished_changes:
        return PageStatus(
            DRAFT,
            _("черновик не отправлен"),
            _(
                "Есть сохранённые изменения, которые ещё не отправлены на проверку: на сайт "
                "они попадут после отправки и одобрения."
            ),
            open_comments=comments,
        )
    if page.live:
        review = last_review(page)
        approved = review is not None and review.status == TaskState.STATUS_APPROVED
        return PageStatus(
            LIVE,
            _("опубликована"),
            _("На сайте последняя версия страницы; изменений на проверке нет."),
            since=review.finished_at if approved else None,
            reviewer=person(review.finished_by) if approved else "",
            comment=review.comment if approved else "",
            open_comments=comments,
        )
    return PageStatus(NOT_LIVE, _("не опубликована"), _("Страницы нет на сайте."))


class ModerationStatusPanel(Panel):
    """The page's moderation state at the top of its editor: after submitting, the school
    sees that its change waits for approval, and after a return, the reviewer's comment."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Проверка изменений"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "schools/admin/moderation_status_panel.html"

        def is_shown(self):
            return self.instance is not None and self.instance.pk is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["status"] = moderation_status(self.instance)
            return context


def with_moderation_state(pages):
    """``pages`` annotated with ``in_moderation`` (a change waits for review) and
    ``needs_changes`` (sent back to the school), one subquery each, for lists of many pages."""
    states = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return pages.annotate(
        in_moderation=Exists(states.filter(status=WorkflowState.STATUS_IN_PROGRESS)),
        needs_changes=Exists(states.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)),
    )


def after_review_url(page, user):
    """Where a reviewer goes after approving or returning a change, when the page's editor is
    closed to them from then on (a coordinator has no edit permission of their own, only the
    review): their municipality's list, which says what became of the page, or the dashboard.
    None when they may still open the editor (Wagtail's own redirect then works)."""
    page = Page.objects.get(pk=page.pk).specific
    if page.permissions_for_user(user).can_edit():
        return None
    if page.workflow_in_progress and page.current_workflow_task.user_can_access_editor(page, user):
        return None
    if coordinated_municipalities(user).exists():
        return reverse("schools_municipality_overview") + "?" + urlencode({"reviewed": page.pk})
    return reverse("wagtailadmin_home")
