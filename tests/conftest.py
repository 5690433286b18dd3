import pytest

from tests.factories import EmployeeFactory, JournalFactory, OrganisationFactory, UserFactory

# --- the migrated state survives transactional tests ---------------------------------------------
# A transactional test (browser, concurrency) ends with a flush that also empties the rows the
# migrations created (the Wagtail page tree, the work calendar's state, the website's groups and
# topics…). Run in one process, pytest-django orders such tests last; run in one process per core
# (pytest-xdist), a test file that follows one in the same process would find those rows gone. So the
# migrated state is serialized once per process and put back after every transactional test.


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        connection._ratusha_migrated_state = connection.creation.serialize_db_to_string()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    if nextitem is not None and _is_transactional(item):  # after the last test the database is gone
        _restore_migrated_state(item)
    return result


def _restore_migrated_state(item) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection

    state = getattr(connection, "_ratusha_migrated_state", None)
    if state is None:
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        # post_migrate re-created content types and permissions under new ids: empty again, then restore.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(state)
        # The rows came back with their ids: move PostgreSQL's sequences past them (SQLite does it itself).
        from django.apps import apps
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
    ContentType.objects.clear_cache()
    # In-process memos keyed by database versions (the work calendar's) would now be stale.
    from django.core.cache import caches

    from ratusha.calendar import selectors as calendar_selectors

    for cache in caches.all():
        cache.clear()
    calendar_selectors._memo.clear()



@pytest.fixture
def org(db):
    return OrganisationFactory()


@pytest.fixture
def registrar(org):
    return EmployeeFactory(organisation=org, roles=["registrar"]).user


@pytest.fixture
def executor(org):
    return EmployeeFactory(organisation=org, roles=["executor"]).user


@pytest.fixture
def outsider(db):
    return EmployeeFactory(roles=["registrar", "head"]).user


@pytest.fixture
def incoming_journal(org):
    return JournalFactory(organisation=org, kind="incoming", index_template="{seq}/{case}",
                          default_case_index="01-10")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def _fresh_page_part_memo():
    """The website keeps page parts (menu, footer facts, home lists) per process between requests; each
    test starts without them (a rolled-back test must not leave its menu to the next one)."""
    from ratusha.website.cache import _memo

    _memo.clear()
    yield
    _memo.clear()
