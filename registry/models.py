"""The registry of the region: municipalities and the organisations that are assessed.

The bottom of the domain: every other app may read it, it reads none of them. What happens
around an organisation besides its row (its public page, staff group and file collection) is
the portal's business (schools/provisioning.py), told through the signals in ``signals.py``.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection
from wagtail.search import index

from core.search import NORMALISED_FIELD, SearchableQuerySet, normalised_text
from core.validators import reject_control_characters

from .identifiers import validate_busgov_url, validate_inn, validate_kpp, validate_ogrn

# Held by editors of the operator, not by school staff: registry fields and page identity.
REGISTRY_PERMISSION = "registry.change_organisation"


class Municipality(index.Indexed, models.Model):
    name = models.CharField(
        _("название"), max_length=200, unique=True, validators=[reject_control_characters]
    )
    slug = models.SlugField(_("код для адресов"), max_length=100, unique=True, allow_unicode=False)
    coordinator_name = models.CharField(_("координатор: ФИО"), max_length=200, blank=True)
    coordinator_email = models.EmailField(_("координатор: e-mail"), blank=True)
    coordinator_phone = models.CharField(_("координатор: телефон"), max_length=50, blank=True)
    expert_name = models.CharField(_("технический эксперт: ФИО"), max_length=200, blank=True)
    expert_email = models.EmailField(_("технический эксперт: e-mail"), blank=True)
    expert_phone = models.CharField(_("технический эксперт: телефон"), max_length=50, blank=True)
    coordinator_group = models.OneToOneField(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="coordinated_municipality",
        verbose_name=_("группа координаторов"),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.AutocompleteField("coordinator_name"),
    ]

    objects = SearchableQuerySet.as_manager()

    class Meta:
        # The table kept its name when the model moved here from `schools` (migration 0001).
        db_table = "schools_municipality"
        ordering = ["name"]
        verbose_name = _("муниципалитет")
        verbose_name_plural = _("муниципалитеты")

    def __str__(self):
        return self.name


class Organisation(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("Общеобразовательная организация")
        PRESCHOOL = "preschool", _("Дошкольная образовательная организация")
        COLLEGE = "college", _("Профессиональная образовательная организация")
        ADDITIONAL = "additional", _("Организация дополнительного образования")

    class Founder(models.TextChoices):
        MUNICIPAL = "municipal", _("муниципальная")
        REGIONAL = "regional", _("региональная")

    code = models.CharField(
        _("код"),
        max_length=20,
        unique=True,
        help_text=_("ИНН или код организации в региональном реестре."),
    )
    name = models.CharField(
        _("полное название"), max_length=500, validators=[reject_control_characters]
    )
    short_name = models.CharField(
        _("краткое название"), max_length=200, blank=True, validators=[reject_control_characters]
    )
    kind = models.CharField(_("тип"), max_length=20, choices=Kind.choices, default=Kind.SCHOOL)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("муниципалитет"),
    )
    address = models.CharField(
        _("адрес"), max_length=500, blank=True, validators=[reject_control_characters]
    )
    website = models.URLField(_("официальный сайт"), blank=True)
    # The contingents of the kind's two respondent groups (methodology §5), for survey
    # coverage; the group behind each column depends on the kind.
    contingent_parents = models.PositiveIntegerField(
        _("контингент группы «родители»"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Сколько детей, чьи родители (законные представители) опрашиваются: школа — "
            "обучающиеся 1–8 классов (или младше 14 лет), детский сад — все воспитанники, "
            "колледж — студенты младше 18 лет, дополнительное образование — дети младше 14 лет."
        ),
    )
    contingent_students = models.PositiveIntegerField(
        _("контингент группы «обучающиеся»"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Сколько обучающихся опрашиваются сами: школа — 9–11 классы (или 14 лет и старше), "
            "колледж — все студенты, дополнительное образование — 14 лет и старше; "
            "у детского сада такой группы нет (0)."
        ),
    )
    founder = models.CharField(
        _("учредитель"),
        max_length=20,
        choices=Founder.choices,
        default=Founder.MUNICIPAL,
        help_text=_(
            "Кто утверждает план устранения недостатков: координатор муниципалитета "
            "(муниципальная организация) или оператор (региональная)."
        ),
    )
    # Official identifiers (registry/identifiers.py), blank in rows that predate them. ИНН
    # and ОГРН hold room for the 12- and 15-digit forms only so that the validator, not the
    # length limit, tells an editor who typed a person's number what is wrong.
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, validators=[validate_inn])
    kpp = models.CharField(_("КПП"), max_length=9, blank=True, validators=[validate_kpp])
    ogrn = models.CharField(_("ОГРН"), max_length=15, blank=True, validators=[validate_ogrn])
    busgov_url = models.URLField(
        _("карточка на bus.gov.ru"),
        max_length=500,
        blank=True,
        validators=[validate_busgov_url],
        help_text=_("Ссылка на карточку организации на сайте bus.gov.ru."),
    )
    is_active = models.BooleanField(_("действует"), default=True)
    # Created with the organisation (schools/provisioning.py): the school's staff group and the
    # collection that holds its photos and documents.
    staff_group = models.OneToOneField(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="organisation",
        verbose_name=_("группа сотрудников"),
    )
    collection = models.OneToOneField(
        Collection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="organisation",
        verbose_name=_("коллекция файлов"),
    )

    search_fields = [
        index.SearchField("name", boost=2),
        index.SearchField("short_name", boost=3),
        index.SearchField("address"),
        index.AutocompleteField("name"),
        index.AutocompleteField("short_name"),
        # Editors look an organisation up by its code in the admin.
        index.AutocompleteField("code"),
        index.FilterField("kind"),
        index.FilterField("municipality_id"),
        index.FilterField("is_active"),
        index.RelatedFields("municipality", [index.SearchField("name")]),
        # The fields above in the normal form the search reads Russian in (core/search.py).
        index.SearchField(NORMALISED_FIELD),
    ]

    objects = SearchableQuerySet.as_manager()

    class Meta:
        db_table = "schools_organisation"
        ordering = ["name"]
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        indexes = [models.Index(fields=["municipality", "kind"])]
        constraints = [
            # One legal entity's branches share its ИНН with a КПП each, so the pair, not the
            # ИНН, names one organisation for bus.gov.ru; rows without it are not compared.
            models.UniqueConstraint(
                fields=["inn", "kpp"],
                condition=~models.Q(inn="") & ~models.Q(kpp=""),
                name="organisation_inn_kpp_unique",
                violation_error_message=_(
                    "Организация с такими ИНН и КПП уже есть в реестре: у филиала свой КПП."
                ),
            )
        ]

    def __str__(self):
        return self.short_name or self.name

    def normalised_text(self):
        return normalised_text(self)

    @classmethod
    def get_indexed_objects(cls):
        # Its municipality's name is indexed with it (twice: as written and normalised).
        return super().get_indexed_objects().select_related("municipality")


class AssessmentListEntry(models.Model):
    """One organisation on one year's assessment list."""

    year = models.PositiveIntegerField(
        _("год оценки"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="assessment_list_entries",
        verbose_name=_("организация"),
    )
    added_at = models.DateTimeField(_("включена"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто включил"),
    )

    class Meta:
        ordering = ["year", "organisation__name"]
        constraints = [
            # "At most once a year", held by the database whatever path writes the list.
            models.UniqueConstraint(fields=["year", "organisation"], name="assessed_once_a_year")
        ]
        verbose_name = _("организация в перечне")
        verbose_name_plural = _("перечень организаций для оценки")

    def __str__(self):
        return f"{self.year}: {self.organisation}"
