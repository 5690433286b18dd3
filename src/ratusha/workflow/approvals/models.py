"""Drafts (проєкти документів), their versions, route templates, routes with visas, signatures.

A visa is bound to the SHA-256 of the version the approver saw (``RouteTask.sha256``); a new version
voids those visas and restarts the route in a new round. Signing registers the draft in its target
journal and links ``Draft.document``; the visas and the signature record stay with it.
Every change goes through ``approvals.services``; ``version`` detects concurrent edits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel, Blob
from ratusha.orgs.models import Organisation, Unit
from ratusha.registry.constants import AccessMark, DocumentKind
from ratusha.registry.models import Document, Journal
from ratusha.workflow.approvals.constants import (
    ApproverKind,
    Decision,
    DraftStatus,
    RouteStatus,
    StepKind,
)

USER = settings.AUTH_USER_MODEL


class RouteTemplate(BaseModel):
    """A reusable route of an organisation, for one document kind (or any kind when ``kind`` is blank)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="route_templates",
                                     verbose_name=_("організація"))
    kind = models.CharField(_("вид документа"), max_length=20, choices=DocumentKind.choices, blank=True)
    name = models.CharField(_("назва"), max_length=200)
    is_active = models.BooleanField(_("діє"), default=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("шаблон маршруту")
        verbose_name_plural = _("шаблони маршрутів")
        ordering = ["organisation", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class RouteTemplateStep(BaseModel):
    """One approver of a template. Steps with the same ``stage`` run in parallel; stages run in order."""

    template = models.ForeignKey(RouteTemplate, on_delete=models.CASCADE, related_name="steps")
    stage = models.PositiveSmallIntegerField(_("етап"))
    kind = models.CharField(_("дія"), max_length=8, choices=StepKind.choices, default=StepKind.VISA)
    approver_kind = models.CharField(_("хто"), max_length=12, choices=ApproverKind.choices,
                                     default=ApproverKind.USER)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("працівник"))

    class Meta:
        verbose_name = _("крок шаблону маршруту")
        verbose_name_plural = _("кроки шаблону маршруту")
        ordering = ["template", "stage", "created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(approver_kind=ApproverKind.UNIT_HEAD) | Q(user__isnull=False),
                                   name="approvals_step_has_user"),
        ]


class Draft(BaseModel):
    """A document being prepared: approved by visas, signed, then registered once (docs/legal.md §6)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="drafts",
                                     verbose_name=_("організація"))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("автор"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts",
                             verbose_name=_("підрозділ автора"))
    kind = models.CharField(_("вид документа"), max_length=20, choices=DocumentKind.choices)
    summary = models.TextField(_("короткий зміст"))
    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="drafts",
                                verbose_name=_("журнал реєстрації"))
    addressee = models.CharField(_("адресат"), max_length=300, blank=True)
    access = models.CharField(_("гриф доступу"), max_length=12, choices=AccessMark.choices,
                              default=AccessMark.INTERNAL)
    status = models.CharField(_("стан"), max_length=12, choices=DraftStatus.choices, default=DraftStatus.DRAFT,
                              db_index=True)
    current_version = models.ForeignKey("DraftVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    document = models.OneToOneField(Document, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="draft", verbose_name=_("зареєстрований документ"))
    # The card this draft answers (a letter, a citizen's appeal): once signed, the registered document
    # gets a link «Відповідь на» to it (``registry.LinkKind.ANSWER_TO``).
    answer_to = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="answer_drafts", verbose_name=_("у відповідь на"))
    finished_at = models.DateTimeField(_("завершено"), null=True, blank=True)
    withdraw_reason = models.CharField(_("причина відкликання"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("проєкт документа")
        verbose_name_plural = _("проєкти документів")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["author", "status"], name="draft_author_idx"),
            models.Index(fields=["organisation", "status"], name="draft_org_idx"),
        ]

    def __str__(self) -> str:
        return self.summary[:120]

    @property
    def current_sha256(self) -> str:
        return self.current_version.blob_id if self.current_version_id else ""


class DraftVersion(BaseModel):
    """One uploaded version of the draft's file; ``blob_id`` is its SHA-256. Never changed."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("версія"))
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("назва файлу"), max_length=255)
    comment = models.CharField(_("коментар"), max_length=300, blank=True)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("версія проєкту")
        verbose_name_plural = _("версії проєкту")
        ordering = ["draft", "-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="draftversion_number_unique")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def sha256(self) -> str:
        return self.blob_id


class Route(BaseModel):
    """One round of approval on one version. A new version supersedes it with round + 1."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="routes")
    round = models.PositiveSmallIntegerField(_("коло"))
    template = models.ForeignKey(RouteTemplate, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    sha256 = models.CharField(_("SHA-256 версії"), max_length=64)
    status = models.CharField(_("стан"), max_length=12, choices=RouteStatus.choices, default=RouteStatus.ACTIVE,
                              db_index=True)
    current_stage = models.PositiveSmallIntegerField(_("поточний етап"), default=1)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("маршрут погодження")
        verbose_name_plural = _("маршрути погодження")
        ordering = ["draft", "-round"]
        constraints = [models.UniqueConstraint(fields=["draft", "round"], name="route_round_unique")]

    def __str__(self) -> str:
        return f"{self.draft} — {self.round}"


class RouteTask(BaseModel):
    """One approver's visa or the signer's signature in a round."""

    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="tasks")
    stage = models.PositiveSmallIntegerField(_("етап"))
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("дія"), max_length=8, choices=StepKind.choices)
    approver = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="approval_tasks",
                                 verbose_name=_("погоджувач"))
    decision = models.CharField(_("рішення"), max_length=24, choices=Decision.choices, default=Decision.PENDING,
                                db_index=True)
    comment = models.TextField(_("зауваження / причина"), blank=True)
    sha256 = models.CharField(_("SHA-256 переглянутої версії"), max_length=64, blank=True)
    decided_at = models.DateTimeField(_("коли"), null=True, blank=True)
    # Who pressed the button: the approver, or the deputy acting for them (Delegation).
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Set when a new version of the draft voided this visa (the decision itself is kept for the record).
    voided_at = models.DateTimeField(_("віза недійсна з"), null=True, blank=True)

    class Meta:
        verbose_name = _("завдання погодження")
        verbose_name_plural = _("завдання погодження")
        ordering = ["route", "stage", "position"]
        indexes = [models.Index(fields=["approver", "decision"], name="routetask_approver_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.approver}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class Signature(BaseModel):
    """The record of signing: who, when, which bytes (SHA-256), how. Kept with the registered card."""

    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="signature")
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+")
    task = models.OneToOneField(RouteTask, on_delete=models.PROTECT, related_name="signature")
    signer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("підписав"))
    # The appointment signed for, when a deputy signs as acting (в. о.); else the signer.
    on_behalf_of = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("час підписання"))
    sha256 = models.CharField(_("SHA-256 підписаної версії"), max_length=64)
    method = models.CharField(_("спосіб"), max_length=40)
    # What the signing produced, when it changes the bytes (a PAdES-signed PDF in issue 6).
    signed_blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    details = models.JSONField(default=dict, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="signatures")

    class Meta:
        verbose_name = _("підпис")
        verbose_name_plural = _("підписи")

    def __str__(self) -> str:
        return f"{self.signer} {self.signed_at:%d.%m.%Y %H:%M}"


class SignFailure(models.Model):
    """A wrong sign code, counted per user for throttling (``SIGN_MAX_FAILURES``)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
