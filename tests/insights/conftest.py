from collections.abc import Iterator

import pytest

from sinergi.insights.engine.source import adbc_close_all


@pytest.fixture(scope="session", autouse=True)
def _adbc_connections_closed(django_db_setup: None) -> Iterator[None]:
    """The engine keeps ADBC connections open; close them before the test database goes."""
    yield
    adbc_close_all()


@pytest.fixture(autouse=True)
def _fresh_insights_cache() -> None:
    """Ids are reused after a rolled-back test on SQLite: start every test with no kept
    results, stamps or loaded shops."""
    from django.core.cache import cache  # noqa: PLC0415

    from sinergi.insights import selectors  # noqa: PLC0415

    cache.clear()
    selectors._loaded.clear()
