"""Personal reception (Law 393/96-ВР art. 22): officials' published reception schedules and citizens'
bookings of their slots. A booking's oral appeal is registered as an ``appeals.Appeal`` (``appeal``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratusha.core.models import BaseModel
from ratusha.orgs.models import Organisation

from .constants import BookingStatus


class ReceptionSchedule(BaseModel):
    """When and where an official receives citizens: weekly days (optionally only some weeks of the month,
    e.g. «другий четвер місяця») and/or specific dates, between two times, in slots."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reception_schedules",
                                     verbose_name=_("орган"))
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("посадова особа"))
    official_name = models.CharField(_("прізвище, ім'я, по батькові"), max_length=300)
    position = models.CharField(_("посада"), max_length=300)
    weekdays = models.JSONField(_("дні тижня"), default=list, blank=True)      # 0 = понеділок … 6 = неділя
    weeks_of_month = models.JSONField(_("тижні місяця"), default=list, blank=True)  # [] = щотижня; 5 = останній
    dates = models.JSONField(_("окремі дати"), default=list, blank=True)       # ISO dates
    start_time = models.TimeField(_("початок"))
    end_time = models.TimeField(_("кінець"))
    slot_minutes = models.PositiveSmallIntegerField(_("тривалість запису, хв"), default=15)
    place = models.CharField(_("місце прийому"), max_length=300)
    note = models.CharField(_("примітка"), max_length=500, blank=True)
    is_published = models.BooleanField(_("оприлюднено"), default=False)
    valid_from = models.DateField(_("діє з"), null=True, blank=True)
    valid_to = models.DateField(_("діє до"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("графік особистого прийому")
        verbose_name_plural = _("графіки особистого прийому")
        ordering = ["organisation", "official_name"]

    def __str__(self) -> str:
        return f"{self.official_name}, {self.position}"


class ReceptionBooking(BaseModel):
    """A citizen's booking of one slot. One slot, one booking: the partial unique constraint covers every
    booking that is not cancelled, so two people can never hold the same slot."""

    schedule = models.ForeignKey(ReceptionSchedule, on_delete=models.PROTECT, related_name="bookings",
                                 verbose_name=_("графік"))
    date = models.DateField(_("дата"), db_index=True)
    time = models.TimeField(_("час"))
    last_name = models.CharField(_("прізвище"), max_length=150)
    first_name = models.CharField(_("ім'я"), max_length=150)
    middle_name = models.CharField(_("по батькові"), max_length=150, blank=True)
    address = models.CharField(_("місце проживання"), max_length=500, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    topic = models.TextField(_("питання"))
    category = models.CharField(_("пільгова категорія"), max_length=8, blank=True)
    priority = models.BooleanField(_("першочерговий прийом"), default=False)
    status = models.CharField(_("стан"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED,
                              db_index=True)
    confirmation_code = models.CharField(_("код запису"), max_length=16, unique=True)
    consent_at = models.DateTimeField(_("ознайомлено з повідомленням про персональні дані"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("скасовано"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    appeal = models.ForeignKey("appeals.Appeal", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="reception_bookings", verbose_name=_("зареєстроване звернення"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("запис на особистий прийом")
        verbose_name_plural = _("записи на особистий прийом")
        ordering = ["date", "time"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "date", "time"], condition=~Q(status=BookingStatus.CANCELLED),
                                    name="reception_slot_taken_once"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.time:%H:%M} — {self.confirmation_code}"

    @property
    def citizen_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.time))
