"""Room on each page of the assessment inputs for an updated version of every row.

Each computation rewrites the survey counts of the year's organisations. With full pages
every updated row needs new entries in all four indexes; with half-full pages PostgreSQL
updates the row in place on its page (a HOT update) and leaves the indexes alone: storing a
country's 50,000 recounts took 0.15–0.25 s instead of 0.5–0.65 s (bench/README.md). Pages
written from now on get the room; ``VACUUM FULL results_assessmentinput`` gives it to the
existing ones.
"""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE results_assessmentinput SET (fillfactor = 50)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE results_assessmentinput RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("results", "0008_result_snapshot_keys")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
