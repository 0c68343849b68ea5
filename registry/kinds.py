"""The four kinds of organisation as the public reads them in lists of results.

Each kind is assessed on its own respondents and ranked on its own (methodology §5), so
every list of results names the kind it shows; these are the names a heading or a tab
uses («Рейтинг: детские сады»). The order is the order of tabs and of exports.
"""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from .models import Organisation

Kind = Organisation.Kind

KIND_ORDER = (Kind.SCHOOL, Kind.PRESCHOOL, Kind.COLLEGE, Kind.ADDITIONAL)

KIND_PLURALS = {
    Kind.SCHOOL: _("общеобразовательные организации"),
    Kind.PRESCHOOL: _("детские сады"),
    Kind.COLLEGE: _("колледжи и техникумы"),
    Kind.ADDITIONAL: _("организации дополнительного образования"),
}

# «Место среди …»: the genitive plural, for ranks.
KIND_AMONG = {
    Kind.SCHOOL: _("среди общеобразовательных организаций"),
    Kind.PRESCHOOL: _("среди детских садов"),
    Kind.COLLEGE: _("среди колледжей и техникумов"),
    Kind.ADDITIONAL: _("среди организаций дополнительного образования"),
}


def in_kind_order(kinds):
    """``kinds`` (any iterable of kind values) in the public order, without repeats."""
    present = set(kinds)
    return [kind.value for kind in KIND_ORDER if kind.value in present]


def kind_position(field="kind"):
    """An expression ordering rows by ``field`` in the public order of kinds."""
    return Case(
        *(
            When(**{field: kind.value}, then=Value(position))
            for position, kind in enumerate(KIND_ORDER)
        ),
        output_field=IntegerField(),
    )
