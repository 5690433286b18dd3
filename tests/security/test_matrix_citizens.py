"""The access matrix, part 2: appeals, reception, Open311, exchange, API keys and the REST API."""

import pytest

from tests.security.check import cell_id, check_cell
from tests.security.matrix import cells

CELLS = cells(("appeals:", "appeals_public:", "reception:", "open311:", "exchange:", "exchange_protocol:",
               "api_office:", "api-v1:"))


@pytest.mark.parametrize("cell", CELLS, ids=[cell_id(c) for c in CELLS])
def test_access(matrix, db, cell):
    check_cell(matrix, *cell)
