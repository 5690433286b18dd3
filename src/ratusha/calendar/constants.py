"""Defaults and limits of the work calendar (docs/legal.md §1, §2)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

# Law 2136-IX of 15.03.2022 (approving Presidential Decree No. 64/2022): martial law since
# 24.02.2022, and its art. 6 part 6 (holidays are working days) in force since 15.03.2022.
# A new installation starts with this one open-ended period; administrators edit it.
DEFAULT_MARTIAL_LAW_START = dt.date(2022, 3, 15)
DEFAULT_MARTIAL_LAW_BASIS = _(
    "Указ Президента України № 64/2022 «Про введення воєнного стану в Україні», затверджений Законом "
    "№ 2102-IX; Закон № 2136-IX від 15.03.2022, ст. 6 ч. 6 (норма щодо свят — з 15.03.2022)")

# Dates an administrator may set: the holiday data of `holidays` (UA) starts in 1991.
MIN_DAY = dt.date(1991, 1, 1)
MAX_DAY = dt.date(2100, 12, 31)

# An administrator may change a ⚠ term (docs/legal.md: "a setting with this default") within these bounds.
TERM_AMOUNT_MIN = 1
TERM_AMOUNT_MAX = 365

CACHE_PREFIX = "workcalendar:config"
CACHE_SECONDS = 24 * 3600
