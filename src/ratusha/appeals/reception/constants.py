"""Personal reception of citizens (особистий прийом): Law 393/96-ВР art. 22 (docs/legal.md §3).

Officials receive citizens on fixed, published days and hours; every appeal made at a reception is
registered; protected categories are received first (the list is ``appeals.constants.PRIORITY_CATEGORIES``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Записано")
    CANCELLED = "cancelled", _("Скасовано")
    ATTENDED = "attended", _("Прийнято")
    NO_SHOW = "no_show", _("Не з'явився")


BOOKING_TRANSITIONS: dict[str, frozenset[str]] = {
    BookingStatus.BOOKED: frozenset({BookingStatus.CANCELLED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW}),
    BookingStatus.NO_SHOW: frozenset({BookingStatus.ATTENDED}),  # came late after all
    BookingStatus.ATTENDED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
}
# A slot is taken by every booking that is not cancelled (the partial unique constraint).
TAKING_STATUSES = frozenset({BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW})

WEEKDAYS = [
    (0, _("понеділок")), (1, _("вівторок")), (2, _("середа")), (3, _("четвер")),
    (4, _("п'ятниця")), (5, _("субота")), (6, _("неділя")),
]
WEEKS_OF_MONTH = [(1, _("перший")), (2, _("другий")), (3, _("третій")), (4, _("четвертий")), (5, _("останній"))]
LAST_WEEK = 5

# ⚠ Settings (``settings.APPEALS``) of the reception, with their defaults.
DEFAULTS = {
    "RECEPTION_BOOKING_DAYS": 28,         # how far ahead citizens may book (4 weeks)
    "RECEPTION_BOOKING_LIMIT": 5,         # bookings per client address …
    "RECEPTION_BOOKING_WINDOW_MINUTES": 10,
    "RECEPTION_MIN_NOTICE_MINUTES": 60,   # a slot starting sooner than this is not offered
}
