"""Run the same work in many threads at once, each with its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection


def run_concurrently(work: Callable[..., Any], args_per_thread: Sequence[tuple[Any, ...]],
                     timeout: float = 120) -> list[Any]:
    """Start one thread per args tuple, release them together, return each result or exception."""
    barrier = threading.Barrier(len(args_per_thread))
    outcomes: list[Any] = [None] * len(args_per_thread)

    def run(index: int, args: tuple[Any, ...]) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = work(*args)
        except Exception as exc:  # noqa: BLE001 - handed to the test, which asserts on it
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(args_per_thread)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return outcomes
