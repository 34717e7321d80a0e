"""Settings of the servers the commerce benchmarks start: Sinergi's own, plus the bench URLs.

The real URLconf is included unchanged; ``bench.peers`` only adds the peers measured beside
it (a naive read-then-write order view, a bare view returning fixed bytes).
"""

from sinergi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.peers"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
