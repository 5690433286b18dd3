"""The editors' group follows the installation role «Редактор сайту ради», no longer organisation roles:
an enterprise's administrator or web editor put there before leaves it (docs/architecture.md rule 5)."""

from django.db import migrations


def resync(apps, schema_editor):
    from ratusha.website.editors import editors_group_resync

    editors_group_resync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0003_home_page"),
        ("orgs", "0002_installation_roles"),
    ]

    operations = [migrations.RunPython(resync, migrations.RunPython.noop)]
