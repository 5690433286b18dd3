from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings

from tests.orgs.conftest import login_verified
from tests.security.world import World, actor_names, build_world


@dataclass
class Matrix:
    world: World
    clients: dict[str, Any]


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and one client per actor, built once per module, rolled back at its end."""
    from ratusha.website.cache import _memo

    with django_db_blocker.unblock(), override_settings(BLOB_DIR=tmp_path_factory.mktemp("matrix-blobs")):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            clients = {}
            for actor in actor_names():
                client = Client(raise_request_exception=False)
                if actor != "anon":
                    login_verified(client, world.users[actor])
                clients[actor] = client
            yield Matrix(world=world, clients=clients)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            _memo.clear()
