"""The March 2025 figures of the ``scenario`` fixture, counted by hand from conftest.py.

Row: (unit, person or «Разом по підрозділу» / «Разом», on time, late, overdue, in progress, total, rate %).
The rate is on time / (on time + late + overdue), rounded to one decimal; None when nothing is rated.
"""

from decimal import Decimal

SUB = "Разом по підрозділу"
A, A1, B, NONE = "Відділ благоустрою", "Сектор озеленення", "Відділ освіти", "Без підрозділу"

EXPECTED_ROWS = [
    (A, SUB, 4, 3, 4, 2, 13, Decimal("36.4")),  # includes the sub-unit A1
    (A, "Антоненко Анна", 2, 1, 2, 2, 7, Decimal("40.0")),
    (A, "Бондар Богдан", 1, 1, 1, 0, 3, Decimal("33.3")),
    (A, "Коваль Катерина", 0, 1, 0, 0, 1, Decimal("0.0")),
    (A1, SUB, 1, 0, 1, 0, 2, Decimal("50.0")),
    (A1, "Савчук Семен", 1, 0, 1, 0, 2, Decimal("50.0")),
    (B, SUB, 1, 1, 1, 1, 4, Decimal("33.3")),
    (B, "Дорошенко Дмитро", 1, 0, 1, 1, 3, Decimal("50.0")),
    (B, "Єременко Євген", 0, 1, 0, 0, 1, Decimal("0.0")),
    (NONE, SUB, 1, 0, 0, 0, 1, Decimal("100.0")),
    (NONE, "Гнатюк Василь", 1, 0, 0, 0, 1, Decimal("100.0")),
    ("Разом", "", 6, 4, 5, 3, 18, Decimal("40.0")),
]

# Only top-level assignments (depth 0): Савчук's two sub-assignments drop out, and with them unit A1.
EXPECTED_TOP_LEVEL_TOTAL = (5, 4, 4, 3)
# Only responsible executors: Бондар's co-executor assignment (on time) drops out.
EXPECTED_RESPONSIBLE_TOTAL = (5, 4, 5, 3)
# Unit A with its sub-unit (what A's head sees, and the filter «unit = A»).
EXPECTED_UNIT_A_TOTAL = (4, 3, 4, 2)
