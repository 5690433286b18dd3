"""A fresh installation's home: Wagtail's placeholder welcome page (the default site's root, without
children) becomes the site's HomePage, so ``/`` is the council's home from the start and editors
build the site under it in /cms/."""

from django.db import migrations


def forwards(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    ContentType = apps.get_model("contenttypes", "ContentType")
    HomePage = apps.get_model("website", "HomePage")
    if HomePage.objects.exists():
        return
    site = Site.objects.filter(is_default_site=True).first()
    page = Page.objects.filter(pk=site.root_page_id, depth=2).first() if site is not None else None
    plain = ContentType.objects.filter(app_label="wagtailcore", model="page").first()
    if page is None or plain is None or page.content_type_id != plain.pk or page.numchild:
        return
    home_type, _created = ContentType.objects.get_or_create(app_label="website", model="homepage")
    home = HomePage(page_ptr_id=page.pk, intro="")
    home.save_base(raw=True)  # the child row only: the page row exists
    Page.objects.filter(pk=page.pk).update(content_type=home_type, title="Головна", draft_title="Головна")


class Migration(migrations.Migration):
    dependencies = [("website", "0002_editors_group"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
