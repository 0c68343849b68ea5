"""Editors' back office for the registry: municipalities and organisations."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from core.admin import SafeExportIndexView

from .models import Municipality, Organisation
from .registry_import import COLUMNS as REGISTRY_COLUMNS


class RegistryExportIndexView(SafeExportIndexView):
    """Column headings are the exchange format's codes, so an export imports back as is."""

    def get_heading(self, queryset, field):
        return field


class MunicipalityViewSet(ModelViewSet):
    model = Municipality
    index_view_class = SafeExportIndexView
    icon = "site"
    menu_label = _("Муниципалитеты")
    add_to_admin_menu = False
    list_display = ["name", "coordinator_name", "coordinator_email", "coordinator_phone"]
    # The admin searches the model's autocomplete fields in the configured search backend;
    # naming fields that are not indexed as such made every search answer 500.
    search_fields = None
    list_export = [
        "name",
        "slug",
        "coordinator_name",
        "coordinator_email",
        "coordinator_phone",
        "expert_name",
        "expert_email",
        "expert_phone",
    ]
    export_filename = "municipalities"
    inspect_view_enabled = True
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [
                FieldPanel("coordinator_name"),
                FieldPanel("coordinator_email"),
                FieldPanel("coordinator_phone"),
            ],
            heading=_("Муниципальный координатор"),
        ),
        MultiFieldPanel(
            [FieldPanel("expert_name"), FieldPanel("expert_email"), FieldPanel("expert_phone")],
            heading=_("Технический эксперт"),
        ),
    ]


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    index_view_class = RegistryExportIndexView
    icon = "home"
    menu_label = _("Организации")
    add_to_admin_menu = False
    list_display = ["name", "code", "kind", "municipality", "is_active"]
    list_filter = ["municipality", "kind", "is_active"]
    # The admin searches the model's autocomplete fields in the configured search backend;
    # naming fields that are not indexed as such made every search answer 500.
    search_fields = None
    # The exchange format of methodology §5, so an export imports back unchanged.
    list_export = REGISTRY_COLUMNS
    export_filename = "organisations"
    inspect_view_enabled = True
    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("municipality"),
        FieldPanel("address"),
        FieldPanel("website"),
        FieldPanel("founder"),
        MultiFieldPanel(
            [
                FieldPanel("inn"),
                FieldPanel("kpp"),
                FieldPanel("ogrn"),
                FieldPanel("busgov_url"),
            ],
            heading=_("Реквизиты (для bus.gov.ru)"),
        ),
        MultiFieldPanel(
            [FieldPanel("contingent_parents"), FieldPanel("contingent_students")],
            heading=_("Контингент для охвата анкетирования"),
        ),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return Organisation.objects.select_related("municipality")


class RegistryViewSetGroup(ModelViewSetGroup):
    menu_label = _("Реестр")
    menu_icon = "list-ul"
    menu_order = 200
    items = (OrganisationViewSet("organisations"), MunicipalityViewSet("municipalities"))
