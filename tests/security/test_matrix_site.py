"""The access matrix, part 3: signatures, the website (decisions, open data, discovery, subscriptions,
Wagtail's pages), /cms/, /django-admin/, login and the public odds and ends."""

import pytest

from tests.security.check import cell_id, check_cell
from tests.security.matrix import cells
from tests.security.test_matrix_citizens import CELLS as CITIZENS
from tests.security.test_matrix_office import CELLS as OFFICE

_TAKEN = {c[0] for c in OFFICE + CITIZENS}
CELLS = [c for c in cells(("",)) if c[0] not in _TAKEN]


@pytest.mark.parametrize("cell", CELLS, ids=[cell_id(c) for c in CELLS])
def test_access(matrix, db, cell):
    check_cell(matrix, *cell)
