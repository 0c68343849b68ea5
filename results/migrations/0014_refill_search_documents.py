"""Published results get their PostgreSQL search documents again, now with the normalised
Russian text (core/russian_text.py), so an upgraded deployment finds «лицея» or «№ 5» in the
ratings at once instead of after the next publication. Nothing to do on SQLite or an empty
database."""

from django.db import migrations


def refill(apps, schema_editor):
    # The live module on purpose: the document's SQL and the normaliser are code, not schema,
    # and the query reads only the columns this migration's state already has.
    from results.search import refill_current_documents

    refill_current_documents()


class Migration(migrations.Migration):
    dependencies = [("results", "0013_accountability_policies")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
