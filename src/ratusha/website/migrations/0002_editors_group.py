"""The Wagtail group «Редактори сайту» (website editors) with its page, image, document permissions."""

from django.db import migrations


def create_group(apps, schema_editor):
    from ratusha.website.editors import ensure_editors_group

    ensure_editors_group(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0001_initial"),
        ("wagtaildocs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
