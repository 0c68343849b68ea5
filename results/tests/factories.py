import factory

from registry.tests.factories import OrganisationFactory
from results.engine import INPUT_FIELDS
from results.models import AssessmentInput

# The inputs of methodology §4, also when the shared fixture is not beside the checkout.
EXAMPLE_INPUTS = {
    "stand_items": 12,
    "stand_norm": 14,
    "site_items": 44,
    "site_norm": 50,
    "distance_channels": 3,
    "comfort_conditions": 4,
    "territory_conditions": 3,
    "service_conditions": 4,
    "respondents": 200,
    "stand_used": 160,
    "stand_satisfied": 150,
    "site_used": 140,
    "site_satisfied": 126,
    "comfort_satisfied": 180,
    "disabled": 12,
    "disabled_satisfied": 9,
    "first_contact_satisfied": 190,
    "direct_service_satisfied": 188,
    "distance_used": 120,
    "distance_satisfied": 114,
    "recommend": 170,
    "schedule_satisfied": 176,
    "overall_satisfied": 182,
}
assert set(EXAMPLE_INPUTS) == set(INPUT_FIELDS)


class AssessmentInputFactory(factory.django.DjangoModelFactory):
    organisation = factory.SubFactory(OrganisationFactory)
    year = 2025
    checklist_source = AssessmentInput.Source.IMPORT
    survey_source = AssessmentInput.Source.IMPORT

    class Meta:
        model = AssessmentInput
        skip_postgeneration_save = True

    @factory.post_generation
    def values(obj, create, extracted, **kwargs):
        # Worked-example counts, overridden by ``values={...}``.
        for name, value in {**EXAMPLE_INPUTS, **(extracted or {})}.items():
            setattr(obj, name, value)
        if create:
            obj.save()


def inputs_csv(rows):
    """A CSV inputs file for rows of {code, **counts}."""
    header = ["code", *INPUT_FIELDS]
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join(str(row.get(name, "")) for name in header))
    return ("\n".join(lines) + "\n").encode("utf-8")
