"""The search index: one row per registration card; the database-specific index sits beside it.

SQLite: the FTS5 table ``search_fts`` (external content = this table, ``rowid`` = ``id``) kept in
sync by triggers. PostgreSQL: generated ``tsvector`` columns with a GIN index. Both are created by
migration ``0002`` for the database in use; see ``backends/``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.orgs.models import Organisation
from ratusha.registry.models import Document


class SortKeyField(models.BigIntegerField):
    """A 64-bit integer key; on SQLite declared ``integer`` so that it IS the table's rowid."""

    def db_type(self, connection):
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class SearchEntry(models.Model):
    # The recency sort key (services.sort_key: reg_date, then registered_at to the millisecond), also
    # FTS5's rowid: both databases read matches newest first straight from their index and stop early.
    id = SortKeyField(primary_key=True)
    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="search_entry",
                                    verbose_name=_("документ"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("організація"))
    # Space-separated index tokens (analysis.lemma_string) of the card fields and of the files.
    lemmas = models.TextField(_("леми картки"), blank=True)
    file_lemmas = models.TextField(_("леми файлів"), blank=True)
    # Normalised correspondent for the correspondent filter (same substring semantics on both DBs).
    correspondent_norm = models.CharField(max_length=600, blank=True)
    # Text of the attached files (capped) for highlighted snippets.
    plain = models.TextField(_("текст файлів"), blank=True)
    updated_at = models.DateTimeField(_("проіндексовано"), auto_now=True)

    class Meta:
        verbose_name = _("запис пошукового індексу")
        verbose_name_plural = _("пошуковий індекс")

    def __str__(self) -> str:
        return f"search entry {self.pk} → {self.document_id}"
