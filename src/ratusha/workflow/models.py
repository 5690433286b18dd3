"""Resolutions (резолюції), assignments (доручення) down the units, deadline-change requests.

A resolution belongs to a registered card (``registry.Document``) and is written into it
(resolution, executor, deadline, control); closing it writes the execution mark (docs/legal.md §6).
Every change goes through ``workflow.services``; ``version`` detects concurrent edits.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel, Blob
from ratusha.orgs.models import Organisation, Unit
from ratusha.registry.models import Document
from ratusha.workflow.constants import (
    AssignmentRole,
    AssignmentStatus,
    DeadlineChangeStatus,
    DeadlineKind,
    ResolutionStatus,
)

USER = settings.AUTH_USER_MODEL


class Resolution(BaseModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="resolutions")
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="resolutions", verbose_name=_("документ")
    )
    # The head in whose name the resolution is written; ``written_by`` is who entered it (the head or the
    # deputy acting for them under a Delegation).
    author = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="resolutions_authored", verbose_name=_("автор резолюції")
    )
    written_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("вніс"))
    text = models.TextField(_("текст резолюції"))
    date = models.DateField(_("дата резолюції"))
    deadline_kind = models.CharField(
        _("спосіб визначення строку"),
        max_length=20,
        choices=DeadlineKind.choices,
        default=DeadlineKind.DEFAULT,
    )
    deadline = models.DateField(_("термін виконання"), db_index=True)
    on_control = models.BooleanField(_("на контролі"), default=False)
    controller = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("контролер")
    )
    status = models.CharField(
        _("стан"),
        max_length=12,
        choices=ResolutionStatus.choices,
        default=ResolutionStatus.ACTIVE,
        db_index=True,
    )
    closed_at = models.DateTimeField(_("знято з контролю"), null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    result = models.TextField(_("результат виконання"), blank=True)
    executed_on = models.DateField(_("дата виконання"), null=True, blank=True)
    answer_index = models.CharField(_("індекс документа-відповіді"), max_length=80, blank=True)
    # Why the resolution was taken off control before its responsible assignment was done / why revoked.
    early_close_reason = models.TextField(_("причина дострокового зняття з контролю"), blank=True)
    revoke_reason = models.TextField(_("причина скасування"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("резолюція")
        verbose_name_plural = _("резолюції")
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.document.reg_index}: {self.text[:80]}"


class Assignment(BaseModel):
    """One executor's task under a resolution; ``parent`` makes sub-assignments down the units."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assignments")
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="assignments")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="assignments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("батьківське доручення"),
    )
    depth = models.PositiveSmallIntegerField(default=0)
    issued_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="assignments_issued", verbose_name=_("видав")
    )
    assignee = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("виконавець")
    )
    # Set when the task was given to a unit: the assignee is then the unit's head at that moment.
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("підрозділ"),
    )
    role = models.CharField(
        _("роль"), max_length=12, choices=AssignmentRole.choices, default=AssignmentRole.RESPONSIBLE
    )
    text = models.TextField(_("зміст доручення"), blank=True)
    deadline = models.DateField(_("термін виконання"), db_index=True)
    status = models.CharField(
        _("стан"),
        max_length=12,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ISSUED,
        db_index=True,
    )
    accepted_at = models.DateTimeField(_("прийнято"), null=True, blank=True)
    started_at = models.DateTimeField(_("розпочато"), null=True, blank=True)
    reported_at = models.DateTimeField(_("звіт подано"), null=True, blank=True)
    report = models.TextField(_("звіт про виконання"), blank=True)
    report_blob = models.ForeignKey(Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    report_file_name = models.CharField(max_length=255, blank=True)
    report_document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("документ-відповідь"),
    )
    done_at = models.DateTimeField(_("виконано"), null=True, blank=True)
    done_on = models.DateField(_("дата виконання"), null=True, blank=True, db_index=True)
    return_reason = models.TextField(_("причина повернення"), blank=True)
    times_returned = models.PositiveSmallIntegerField(default=0)
    escalated_on = models.DateField(_("повідомлено керівника про прострочення"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("доручення")
        verbose_name_plural = _("доручення")
        ordering = ["deadline", "created_at"]
        indexes = [
            models.Index(fields=["assignee", "status", "deadline"], name="assignment_assignee_idx"),
            models.Index(fields=["organisation", "status", "deadline"], name="assignment_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document.reg_index} → {self.assignee}"


class DeadlineChangeRequest(BaseModel):
    """An executor asks the resolution's author to move a deadline."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="deadline_requests")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    current_deadline = models.DateField(_("чинний строк"))
    proposed_deadline = models.DateField(_("запропонований строк"))
    reason = models.TextField(_("обґрунтування"))
    status = models.CharField(
        _("стан"),
        max_length=10,
        choices=DeadlineChangeStatus.choices,
        default=DeadlineChangeStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("коментар до рішення"), blank=True)

    class Meta:
        verbose_name = _("запит на зміну строку")
        verbose_name_plural = _("запити на зміну строку")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=models.Q(status="pending"),
                name="one_pending_deadline_request",
            ),
        ]


class DueReminder(models.Model):
    """The daily in-app reminder of one person for one day: at most one (the daily job is idempotent)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    on_date = models.DateField()
    counts = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "on_date"], name="one_due_reminder_per_day")]
