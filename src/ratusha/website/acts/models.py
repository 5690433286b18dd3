"""Acts and draft decisions published on the website (docs/legal.md §5, art. 15 of Law 2939-VI)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel, Blob
from ratusha.orgs.models import Organisation, Unit
from ratusha.registry.models import Document
from ratusha.website.acts.constants import (
    DRAFT_SEGMENT,
    KIND_SEGMENTS,
    ActKind,
    ActStatus,
    WithdrawReason,
)


class Topic(BaseModel):
    """A topic of the controlled list (бюджет, земельні питання, …), editable by website editors."""

    slug = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("назва"), max_length=120)
    position = models.PositiveSmallIntegerField(_("порядок"), default=100)
    keywords = models.CharField(_("ключові слова для автоматичного визначення"), max_length=500, blank=True,
                                help_text=_("Початки слів через кому: «бюджет, фінанс»"))
    is_active = models.BooleanField(_("діє"), default=True)

    class Meta:
        verbose_name = _("тема рішень")
        verbose_name_plural = _("теми рішень")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PublishedAct(BaseModel):
    """An act (adopted decision or order from the registry) or a draft decision on the site.

    Its address never changes: ``segment/year/number`` is fixed when the item is created, whatever
    later happens to its title.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("орган"))
    kind = models.CharField(_("вид"), max_length=12, choices=ActKind.choices, db_index=True)
    status = models.CharField(_("стан"), max_length=12, choices=ActStatus.choices, db_index=True)
    number = models.CharField(_("номер"), max_length=80, blank=True)
    date = models.DateField(_("дата"), db_index=True)
    year = models.PositiveSmallIntegerField(_("рік"), db_index=True)
    title = models.TextField(_("назва"))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="acts",
                              verbose_name=_("тема"))
    # The permanent address: /decisions/<segment>/<year>/<slug>/.
    segment = models.CharField(max_length=40)
    slug = models.CharField(max_length=100)
    # Adopted acts: the registration card (the PDF is its current PDF file).
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="published_act", verbose_name=_("реєстраційна картка"))
    # Drafts: the published file, the session and the clock.
    blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("назва файлу"), max_length=255, blank=True)
    approvals_draft = models.ForeignKey("approvals.Draft", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("проєкт на погодженні"))
    session_date = models.DateField(_("дата розгляду (засідання)"), null=True, blank=True, db_index=True)
    latest_publication_date = models.DateField(_("оприлюднити не пізніше"), null=True, blank=True)
    published_late = models.BooleanField(_("оприлюднено із запізненням"), default=False)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("відповідальний підрозділ"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("автор проєкту"))
    adopted_act = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="drafts", verbose_name=_("прийняте рішення"))
    # Publication dates (art. 15: every item shows when it was published and updated).
    published_at = models.DateTimeField(_("оприлюднено"), null=True, blank=True, db_index=True)
    content_updated_at = models.DateTimeField(_("оновлено"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("знято з оприлюднення"), null=True, blank=True)
    withdraw_reason = models.CharField(_("причина"), max_length=12, choices=WithdrawReason.choices, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    # The Ukrainian analysis of number + title (ratusha.search.analysis), as " token token ".
    search_tokens = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("оприлюднений акт")
        verbose_name_plural = _("оприлюднені акти та проєкти")
        ordering = ["-date", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["segment", "year", "slug"], name="act_address_unique"),
        ]
        indexes = [models.Index(fields=["status", "-date"], name="act_status_date_idx"),
                   models.Index(fields=["kind", "status", "-date"], name="act_kind_status_idx"),
                   models.Index(fields=["status", "session_date"], name="act_draft_session_idx",
                                condition=Q(session_date__isnull=False))]

    def __str__(self) -> str:
        if self.number:
            return f"№ {self.number} від {self.date:%d.%m.%Y}"
        return self.title[:120]

    @property
    def is_draft(self) -> bool:
        return self.segment == DRAFT_SEGMENT

    @property
    def is_withdrawn(self) -> bool:
        return self.status == ActStatus.WITHDRAWN

    def get_absolute_url(self) -> str:
        return reverse("acts:detail", args=[self.segment, self.year, self.slug])

    def get_pdf_url(self) -> str:
        return reverse("acts:pdf", args=[self.segment, self.year, self.slug])

    @property
    def kind_segment(self) -> str:
        return KIND_SEGMENTS.get(self.kind, "")
