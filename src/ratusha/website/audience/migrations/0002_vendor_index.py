"""The database-specific site search index: FTS5 + triggers on SQLite, a generated tsvector + GIN on
PostgreSQL (see ``audience/index_backends.py``)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ratusha.website.audience.index_backends import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from ratusha.website.audience.index_backends import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audience", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
