"""Admin integration of the registry, and the trimmed admin that school staff see: their
page on the dashboard («Моя страница») and in the explorer, and what their submission means."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.images.views.chooser import ImageSelectFormatView
from wagtail.models import WorkflowState

from core.admin import PermissionMenuItem
from registry.access import coordinated_municipalities, organisation_of
from registry.models import REGISTRY_PERMISSION

from . import admin_views
from .models import SchoolPage
from .moderation import after_review_url, moderation_status

# A school's files stay the school's (schools/file_scope.py): the admin API and the image
# chooser's format step list or show only files the user may choose.
CHOOSING = ["choose"]


def choosable_images(user):
    return image_policy.instances_user_has_any_permission_for(user, CHOOSING)


def choosable_documents(user):
    return document_policy.instances_user_has_any_permission_for(user, CHOOSING)


class ScopedImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable_images(self.request.user))


class ScopedDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable_documents(self.request.user))


class ScopedImageSelectFormatView(ImageSelectFormatView):
    """The image chooser's format step, for images the user may choose only."""

    model = get_image_model()

    def dispatch(self, request, image_id, *args, **kwargs):
        image = get_object_or_404(self.model, id=image_id)
        if not image_policy.user_has_permission_for_instance(request.user, "choose", image):
            raise PermissionDenied
        return super().dispatch(request, image_id, *args, **kwargs)


@hooks.register("construct_admin_api", order=1)  # after Wagtail's own endpoints
def scope_admin_api_to_choosable_files(router):
    router.register_endpoint("images", ScopedImagesAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAPIViewSet)


# Menu entries school staff keep: their page, their photos and documents.
STAFF_MENU_ITEMS = {"cabinet", "explorer", "images", "documents", "surveys", "survey-paper"}


@hooks.register("register_admin_urls")
def register_school_admin_urls():
    return [
        path("school-staff/", admin_views.staff_index, name="schools_staff_index"),
        path("school-staff/<int:pk>/", admin_views.staff_detail, name="schools_staff_detail"),
        path(
            "my-municipality/",
            admin_views.municipality_overview,
            name="schools_municipality_overview",
        ),
        # Shadows Wagtail's own route of the same path: hooks of this app come first.
        path(
            "images/chooser/<int:image_id>/select_format/",
            ScopedImageSelectFormatView.as_view(),
            name="schools_image_select_format",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_staff_menu_item():
    return PermissionMenuItem(
        _("Сотрудники школ"),
        reverse("schools_staff_index"),
        name="school-staff",
        icon_name="group",
        order=210,
        check=lambda user: user.has_perm(admin_views.STAFF_PERMISSION),
    )


@hooks.register("register_admin_menu_item")
def register_municipality_menu_item():
    return PermissionMenuItem(
        _("Мой муниципалитет"),
        reverse("schools_municipality_overview"),
        name="my-municipality",
        icon_name="site",
        order=150,
        check=lambda user: coordinated_municipalities(user).exists(),
    )


def is_school_staff_only(user):
    """A school login that is nothing more: editors who are also in a school group keep the
    full admin."""
    return (
        not user.is_superuser
        and not user.has_perm(REGISTRY_PERMISSION)
        and organisation_of(user) is not None
    )


@hooks.register("construct_main_menu")
def trim_menu_for_school_staff(request, menu_items):
    if is_school_staff_only(request.user):
        menu_items[:] = [item for item in menu_items if item.name in STAFF_MENU_ITEMS]


def own_page(user):
    """The profile page of the organisation ``user`` works for, or None."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    return (
        SchoolPage.objects.filter(organisation=organisation).select_related("organisation").first()
    )


class MyPagePanel(Component):
    """«Моя страница» on the dashboard: the school's page, where its last change stands
    (with the reviewer's comment), and the way to edit it and to see it on the site."""

    name = "my_page"
    order = 10  # first: it is what a school login comes for
    template_name = "schools/admin/my_page_panel.html"

    def __init__(self, page):
        self.page = page

    def get_context_data(self, parent_context=None):
        request = parent_context["request"]
        page = self.page
        return {
            "page": page,
            "organisation": page.organisation,
            "status": moderation_status(page),
            "can_edit": page.permissions_for_user(request.user).can_edit(),
            "page_url": page.get_url(request) if page.live else None,
        }


@hooks.register("construct_homepage_panels")
def add_my_page_panel(request, panels):
    page = own_page(request.user)
    if page is not None:
        panels.insert(0, MyPagePanel(page))


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail's own items
def trim_dashboard_summary_for_school_staff(request, summary_items):
    # «1 страница, 0 изображений» says nothing to a school: «Моя страница» says what matters.
    if is_school_staff_only(request.user):
        summary_items.clear()


EXPLORER_VIEWS = {"wagtailadmin_explore", "wagtailadmin_explore_results"}


@hooks.register("construct_explorer_page_queryset")
def list_the_own_page_for_school_staff(parent_page, pages, request):
    """A school's explorer starts at its own page, which has no children: rather than an
    empty list («1-0 of 0»), list the page itself with its status and actions."""
    match = request.resolver_match
    if (
        match is None
        or match.url_name not in EXPLORER_VIEWS
        or not is_school_staff_only(request.user)
        or parent_page.numchild
    ):
        return pages
    page = own_page(request.user)
    if page is None or page.pk != parent_page.pk:
        return pages
    # The annotations the explorer's own queryset carries (ExplorableIndexView).
    return (
        pages.model.objects.filter(pk=page.pk)
        .prefetch_related("content_type", "sites_rooted_here")
        .defer_streamfields()
        .specific()
        .prefetch_workflow_states()
        .annotate_site_root_state()
        .annotate_approved_schedule()
    )


SUBMIT_ACTIONS = {"action-submit", "action-restart-workflow"}
REVIEW_ACTION = "action-workflow-action"


def replace_last_message(request, text):
    """Swap the message Wagtail just queued for ``text``; earlier messages are kept."""
    queued = list(messages.get_messages(request))
    for message in queued[:-1]:
        messages.add_message(request, message.level, message.message, message.extra_tags)
    messages.success(request, text)


@hooks.register("after_edit_page")
def explain_moderation_after_edit(request, page):
    """After a school page is submitted, say what moderation means (Wagtail's «отправлена
    на модерацию» next to a header reading «Опубликовано» left schools thinking the change
    was live) and show the school its page's status; after a review from the editor, send
    a reviewer who may no longer open it somewhere they may see."""
    if not isinstance(page.specific_deferred, SchoolPage):
        return None
    # Read afresh: the editor's page carries the workflow states from before the submission.
    in_progress = page.workflow_states.filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
    if SUBMIT_ACTIONS & set(request.POST) and in_progress:
        replace_last_message(
            request,
            gettext(
                "Изменения страницы «%(title)s» отправлены на проверку. Их опубликуют после "
                "одобрения координатора муниципалитета или редактора оператора; до тех пор "
                "на сайте прежняя версия страницы."
            )
            % {"title": page.get_admin_display_title()},
        )
        if is_school_staff_only(request.user):
            return redirect("wagtailadmin_home")
        return None
    if REVIEW_ACTION in request.POST:
        url = after_review_url(page, request.user)
        if url:
            return redirect(url)
    return None


@hooks.register("after_publish_ratings")
def rated_school_pages(revision):
    """A school's page shows its result card: a front-end cache drops the pages of the
    organisations the published revision rates (results.services.purge_published)."""
    pages = SchoolPage.objects.live().filter(
        organisation_id__in=revision.results.values("organisation_id")
    )
    return [page.url for page in pages.defer_streamfields() if page.url]
