"""The database-specific index: FTS5 + triggers on SQLite, generated tsvectors + GIN on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ratusha.search.backends import get_backend

    get_backend(schema_editor.connection).install(schema_editor.connection)


def backwards(apps, schema_editor):
    from ratusha.search.backends import get_backend

    get_backend(schema_editor.connection).uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
