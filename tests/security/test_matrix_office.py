"""The access matrix, part 1: registry, search, staff, calendar, notifications, workflow, approvals,
reports. See tests/security/access_table.py for the table and its notation."""

import pytest

from tests.security.check import cell_id, check_cell
from tests.security.matrix import cells

CELLS = cells(("registry:", "search:", "orgs:", "workcalendar:", "notifications:", "workflow:", "approvals:",
               "reports:"))


@pytest.mark.parametrize("cell", CELLS, ids=[cell_id(c) for c in CELLS])
def test_access(matrix, db, cell):
    check_cell(matrix, *cell)


def test_world_is_complete(matrix, db):
    """Every object a URL parameter points at was built (a missing one would fail its URLs' cells)."""
    assert not matrix.world.errors, matrix.world.errors
