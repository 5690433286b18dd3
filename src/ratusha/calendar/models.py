"""The installation's work calendar: martial-law periods, single-day overrides, settings, versions.

Holidays themselves are not stored: they come from the ``holidays`` package (``days.py``). What an
administrator decides is stored here; every change bumps ``CalendarState.version`` and writes a
``CalendarVersion`` row plus an audit event (docs/legal.md §1: "calendar changes are versioned and audited").
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ratusha.calendar.terms import Shift
from ratusha.core.models import BaseModel


class CalendarState(models.Model):
    """The single row (pk=1) holding the current version and the settings; locked by every change."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveIntegerField(_("версія"), default=0)
    # Changes on every bump: cache keys stay unique even if a database is restored to an older state.
    token = models.UUIDField(default=uuid.uuid4)
    shift = models.CharField(_("перенесення останнього дня"), max_length=10, choices=[
        (Shift.PREVIOUS.value, _("на попередній робочий день")),
        (Shift.NEXT.value, _("на наступний робочий день")),
    ], default=Shift.PREVIOUS.value)
    # {rule: amount} for the ⚠ rules an administrator changed; absent = the default of docs/legal.md.
    term_amounts = models.JSONField(_("строки, змінені адміністратором"), default=dict, blank=True)

    class Meta:
        verbose_name = _("налаштування календаря")
        verbose_name_plural = _("налаштування календаря")

    def __str__(self) -> str:
        return f"v{self.version}"


class MartialLawPeriod(BaseModel):
    """Law 2136-IX art. 6 part 6: while martial law lasts, holidays are working days, no transfers."""

    start = models.DateField(_("початок"))
    end = models.DateField(_("кінець"), null=True, blank=True, help_text=_("Порожньо — діє досі."))
    basis = models.CharField(_("підстава"), max_length=500)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency for edits

    class Meta:
        ordering = ["start"]
        verbose_name = _("період воєнного стану")
        verbose_name_plural = _("періоди воєнного стану")
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                   name="workcalendar_period_end_after_start"),
        ]

    def __str__(self) -> str:
        end = self.end.strftime("%d.%m.%Y") if self.end else "…"
        return f"{self.start.strftime('%d.%m.%Y')} – {end}"


class DayOverride(BaseModel):
    """A single day made working or non-working by a local decision."""

    day = models.DateField(_("дата"), unique=True)
    working = models.BooleanField(_("робочий день"))
    reason = models.CharField(_("підстава (рішення)"), max_length=500)

    class Meta:
        ordering = ["day"]
        verbose_name = _("зміна дня")
        verbose_name_plural = _("зміни днів")

    def __str__(self) -> str:
        return self.day.strftime("%d.%m.%Y")


class CalendarVersion(models.Model):
    """One change of the calendar: number, who, when, what."""

    number = models.PositiveIntegerField(_("версія"), unique=True)
    at = models.DateTimeField(_("час"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("хто"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("дія"), max_length=60)
    summary = models.CharField(_("що змінено"), max_length=500)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("версія календаря")
        verbose_name_plural = _("версії календаря")

    def __str__(self) -> str:
        return f"v{self.number}: {self.summary}"
