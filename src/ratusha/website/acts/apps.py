from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActsConfig(AppConfig):
    name = "ratusha.website.acts"
    label = "acts"
    verbose_name = _("Рішення та акти на сайті")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from ratusha.registry.hooks import register_after_registration
        from ratusha.registry.models import Document, DocumentFile
        from ratusha.website.acts import selectors, services
        from ratusha.website.acts.feeds import ActsSitemap
        from ratusha.website.search import register_search_provider
        from ratusha.website.sitemaps import register_sitemap

        register_after_registration(services.on_document_registered, name="acts")
        post_save.connect(_document_saved, sender=Document, dispatch_uid="acts.document_saved")
        post_save.connect(_file_saved, sender=DocumentFile, dispatch_uid="acts.file_saved")
        register_search_provider("decisions", selectors.search_provider)
        register_sitemap("decisions", ActsSitemap)


def _document_saved(sender, instance, created, **kwargs):  # noqa: ANN001 - Django's signal signature
    """Later changes of a card (access mark, cancellation) reach the site after commit; a new card is the
    registry hook's (``on_document_registered``)."""
    if created or kwargs.get("raw"):
        return
    from ratusha.website.acts.models import PublishedAct
    from ratusha.website.acts.services import on_document_saved

    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"access", "status"} & set(update_fields):
        return
    if instance.access == "public" or PublishedAct.objects.filter(document_id=instance.pk).exists():
        on_document_saved(instance)


def _file_saved(sender, instance, created, **kwargs):  # noqa: ANN001 - Django's signal signature
    """A new file version of a published act's card: its «оновлено» date moves (after commit)."""
    if not created or kwargs.get("raw"):
        return
    from ratusha.website.acts.models import PublishedAct
    from ratusha.website.acts.services import on_file_saved

    if PublishedAct.objects.filter(document_id=instance.document_id).exists():
        on_file_saved(instance.document_id)
