"""The table and the URLconf agree: every URL has its rows, every row its URL; the table's methods are
the ones the view accepts; and the size of the matrix."""

from tests.security.access_table import PREFIX_RULES, rows
from tests.security.matrix import expand
from tests.security.test_matrix_citizens import CELLS as CITIZENS
from tests.security.test_matrix_office import CELLS as OFFICE
from tests.security.test_matrix_site import CELLS as SITE
from tests.security.urlwalk import THIRD_PARTY_PREFIXES, all_routes
from tests.security.world import actor_names


def test_every_url_has_a_row_and_every_row_a_url():
    routes = all_routes()
    keys = {r.key for r in routes}
    table = {key for key, _method, _spec in rows()}
    missing = sorted(r.key + "  (" + r.route + ")" for r in routes
                     if r.key not in table and not (r.route.startswith(THIRD_PARTY_PREFIXES) and not r.own))
    assert not missing, "URLs without a row in tests/security/access_table.py:\n" + "\n".join(missing)
    stale = sorted(table - keys)
    assert not stale, "rows of tests/security/access_table.py without a URL:\n" + "\n".join(stale)
    assert set(PREFIX_RULES) == set(THIRD_PARTY_PREFIXES)


def test_rows_are_unique_and_parse():
    seen = set()
    for key, method, spec in rows():
        assert (key, method) not in seen, f"two rows for {method} {key}"
        seen.add((key, method))
        expand(spec)


def test_matrix_size(capsys):
    url_rows = {key for key, _m, _s in rows()}
    requests = len(OFFICE) + len(CITIZENS) + len(SITE)
    with capsys.disabled():
        print(f"\naccess matrix: {len(url_rows)} URL rows, {len(rows())} URL×method rows, "
              f"{len(actor_names())} actors, {requests} requests")
    assert requests == len(rows()) * len(actor_names())
