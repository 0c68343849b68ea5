"""Admin screens beyond the registry viewsets: staff of each school (for editors) and the
coordinator's view of their municipality."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.pagination import paginate
from core.search import clean_query
from registry.access import coordinated_municipalities
from registry.models import REGISTRY_PERMISSION, Organisation

from .models import SchoolPage
from .moderation import moderation_status, with_moderation_state
from .staff import invite_staff_member, remove_staff_member

STAFF_PERMISSION = REGISTRY_PERMISSION


class InviteForm(forms.Form):
    last_name = forms.CharField(label=gettext_lazy("Фамилия"), max_length=150)
    first_name = forms.CharField(label=gettext_lazy("Имя и отчество"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    send_invitation = forms.BooleanField(
        label=gettext_lazy("Отправить приглашение со ссылкой для входа"),
        required=False,
        initial=True,
    )


def require_editor(user):
    if not user.has_perm(STAFF_PERMISSION):
        raise PermissionDenied


def staff_index(request):
    require_editor(request.user)
    query = clean_query(request.GET.get("q"))
    organisations = Organisation.objects.select_related("municipality", "staff_group")
    if query:
        organisations = organisations.filter(pk__in=Organisation.objects.search_ids(query).results)
    return TemplateResponse(
        request,
        "schools/admin/staff_index.html",
        {
            "page_obj": paginate(request, organisations, 50),
            "query": query,
        },
    )


@require_http_methods(["GET", "POST"])
def staff_detail(request, pk):
    require_editor(request.user)
    organisation = get_object_or_404(Organisation, pk=pk)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        user = get_object_or_404(get_user_model(), pk=request.POST["remove"])
        remove_staff_member(organisation, user)
        messages.success(request, _("%(user)s больше не сотрудник организации.") % {"user": user})
        return redirect("schools_staff_detail", pk=organisation.pk)
    if request.method == "POST" and form.is_valid():
        user, created = invite_staff_member(organisation, **form.cleaned_data)
        messages.success(
            request,
            (
                _("Добавлен новый сотрудник %(email)s.")
                if created
                else _("Существующая учётная запись %(email)s добавлена к организации.")
            )
            % {"email": user.email},
        )
        return redirect("schools_staff_detail", pk=organisation.pk)
    staff = (
        organisation.staff_group.user_set.order_by("last_name") if organisation.staff_group else []
    )
    return TemplateResponse(
        request,
        "schools/admin/staff_detail.html",
        {
            "organisation": organisation,
            "staff": staff,
            "form": form,
        },
    )


def municipality_overview(request):
    """Read-only list of the coordinator's schools with the state of their profile pages:
    changes waiting for review first, then those sent back, then the rest by name."""
    municipalities = coordinated_municipalities(request.user)
    if not municipalities.exists():
        raise PermissionDenied
    pages = list(
        with_moderation_state(
            SchoolPage.objects.filter(organisation__municipality__in=municipalities)
        )
        .select_related("organisation__municipality")
        .order_by(
            "-in_moderation",
            "-needs_changes",
            "organisation__municipality__name",
            "organisation__name",
        )
    )
    return TemplateResponse(
        request,
        "schools/admin/municipality_overview.html",
        {
            "municipalities": municipalities,
            "pages": pages,
            "pending_count": sum(page.in_moderation for page in pages),
            "reviewed": reviewed_page(request, pages),
        },
    )


def reviewed_page(request, pages):
    """The page a review just finished on (``?reviewed=<id>`` from the moderation task's
    redirect) with its status now, when it is one of the coordinator's; else None."""
    raw = request.GET.get("reviewed", "")
    page = next((page for page in pages if raw.isdigit() and page.pk == int(raw)), None)
    if page is None:
        return None
    return {"page": page, "status": moderation_status(page)}
