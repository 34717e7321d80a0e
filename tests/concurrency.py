"""Real concurrency for the PostgreSQL tests: every call in a thread of its own, all released
at the same moment, each closing its database connection when it is done."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connections

Item = TypeVar("Item")
Result = TypeVar("Result")


def run_together(work: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """``work(item)`` for every item, each in its own thread, released together by a barrier;
    returns the results in the items' order (an exception in a thread is raised here)."""
    items = list(items)
    barrier = threading.Barrier(len(items))

    def run(item: Item) -> Result:
        try:
            barrier.wait(timeout=30)
            return work(item)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        return list(pool.map(run, items))
