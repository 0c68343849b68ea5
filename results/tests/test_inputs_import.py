"""Import of assessment inputs: all or nothing, row errors, idempotency, audit."""

import pytest
from django.core.management import CommandError, call_command

from registry.tests.factories import OrganisationFactory
from results.inputs_import import import_inputs
from results.models import AssessmentInput, InputChange

from .factories import EXAMPLE_INPUTS, inputs_csv

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def schools():
    return [OrganisationFactory() for _ in range(3)]


def rows_for(schools, **overrides):
    return [
        {"code": school.code, **EXAMPLE_INPUTS, **overrides.get(school.code, {})}
        for school in schools
    ]


def test_good_file_imports_and_reimport_is_a_no_op(schools):
    content = inputs_csv(rows_for(schools))
    report = import_inputs(content, YEAR, "inputs.csv")
    assert report.ok and (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert AssessmentInput.objects.filter(year=YEAR, respondents=200).count() == 3
    again = import_inputs(content, YEAR, "inputs.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = rows_for(schools, **{schools[0].code: {"recommend": 171}})
    update = import_inputs(inputs_csv(changed), YEAR, "inputs.csv")
    assert (update.created, update.updated, update.unchanged) == (0, 1, 2)
    audit = InputChange.objects.filter(organisation=schools[0], source="import").first()
    assert audit.changes == {"recommend": [170, 171]}


def test_one_bad_row_writes_nothing_and_every_error_is_named(schools):
    rows = rows_for(
        schools,
        **{
            schools[1].code: {"stand_satisfied": 161},  # above stand_used
            schools[2].code: {"site_norm": 0, "respondents": "двести"},
        },
    )
    rows.append({"code": "0000000000", **EXAMPLE_INPUTS})
    report = import_inputs(inputs_csv(rows), YEAR, "inputs.csv")
    assert not report.ok
    where = {(error.row, error.column) for error in report.errors}
    assert (3, "stand_satisfied") in where
    assert (4, "respondents") in where
    assert (5, "code") in where
    assert "161 больше, чем «stand_used» (160)" in " ".join(e.message for e in report.errors)
    assert not AssessmentInput.objects.exists()


def test_many_rows_one_bad_writes_nothing_from_the_command(tmp_path):
    schools = [OrganisationFactory() for _ in range(40)]
    rows = rows_for(schools, **{schools[-1].code: {"disabled_satisfied": 13}})
    path = tmp_path / "inputs.csv"
    path.write_bytes(inputs_csv(rows))
    with pytest.raises(CommandError, match="Ничего не записано"):
        call_command("import_inputs", str(path), year=YEAR)
    assert not AssessmentInput.objects.exists()


def test_spreadsheet_numbers_and_spaces_around_codes_are_read(schools):
    rows = rows_for(schools[:1], **{schools[0].code: {"respondents": "200,0"}})
    rows[0]["code"] = f"  {schools[0].code} "
    # Semicolon-separated, as Russian Excel saves CSV, with a decimal comma.
    content = inputs_csv(rows).decode().replace(",", ";").replace("200;0", "200,0")
    report = import_inputs(content.encode(), YEAR, "inputs.csv")
    assert report.ok
    assert AssessmentInput.objects.get(organisation=schools[0]).respondents == 200


def test_missing_columns_are_reported(schools):
    report = import_inputs(b"code,respondents\n1,2\n", YEAR, "inputs.csv")
    assert not report.ok and "нет столбцов" in report.errors[0].message


def test_command_imports_a_good_file(tmp_path, schools, capsys):
    path = tmp_path / "inputs.csv"
    path.write_bytes(inputs_csv(rows_for(schools)))
    call_command("import_inputs", str(path), year=YEAR)
    assert "добавлено 3" in capsys.readouterr().out
