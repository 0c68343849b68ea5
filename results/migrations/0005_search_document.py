"""A full-text document per published result, with a GIN index on PostgreSQL."""

import django.contrib.postgres.search
from django.db import migrations


def create_gin_index(apps, schema_editor):
    # PostgreSQL only: on SQLite ratings are searched through Wagtail's database backend.
    # Partial: drafts (no document) cost the index nothing when a year is recomputed.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX results_ratingresult_search_gin ON results_ratingresult "
            "USING gin (search_document) WHERE search_document IS NOT NULL"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS results_ratingresult_search_gin")


class Migration(migrations.Migration):
    dependencies = [("results", "0004_editor_permissions")]

    operations = [
        migrations.AddField(
            model_name="ratingresult",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
