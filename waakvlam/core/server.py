"""Running the production HTTP server (gunicorn) from inside the `waakvlam` command.

The kernel knows no app above it: the WSGI application comes from `settings.WSGI_APPLICATION`, and
what an app wants done in each worker before the first request it registers from its
`AppConfig.ready()` with `register_worker_start` (intake builds its free-text detector and starts its
writer thread).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import Any

from django.core.servers.basehttp import get_internal_wsgi_application
from gunicorn.app.base import BaseApplication

# Threads per worker process: while one thread runs Python, the others wait for PostgreSQL.
DEFAULT_THREADS = 8


def default_workers() -> int:
    """One worker process per CPU core, at least two (so one can restart while the other serves).

    Measured on 2 cores with PostgreSQL on the same machine (docs/benchmarks.md, "Intake"): 2 workers x 4
    threads used the least CPU per signal taken in; 3 x 2, 4 x 1 and 6 x 1 only competed for the same
    cores (GIL hand-offs and context switches) and took 15-50% more CPU per request."""
    return max(2, os.cpu_count() or 1)


# What each worker runs before it takes a request: `warm` before the loaded objects are frozen (so they
# are frozen too), `start` after (threads and connections of the worker's own).
WORKER_WARM: list[Callable[[], None]] = []
WORKER_START: list[Callable[[], None]] = []


def register_worker_start(*, warm: Callable[[], None] | None = None, start: Callable[[], None] | None = None) -> None:
    for hooks, hook in ((WORKER_WARM, warm), (WORKER_START, start)):
        if hook is not None and hook not in hooks:
            hooks.append(hook)


class WaakvlamServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        application = get_internal_wsgi_application()
        # Each worker loads the app before it accepts a connection: build the free-text detector (about
        # a second) now rather than in the first request that checks a description. Only `serve` does
        # this; other management commands build it when they first need it, if ever.
        for warm in WORKER_WARM:
            warm()
        # The detector and the app are some 145,000 long-lived objects that a full collection of the
        # cyclic garbage collector walks each time: about 100 ms holding the GIL, so every request of the
        # worker stalled (200 ms seen under the intake benchmark). Frozen, they are never walked again.
        gc.collect()
        gc.freeze()
        # API signals are written in batches by one thread per worker (docs/decisions/0007); only the
        # production server does this, so tests and runserver keep the one-at-a-time path.
        for start in WORKER_START:
            start()
        return application


def serve(*, host: str, port: int, workers: int, threads: int = DEFAULT_THREADS, access_log: bool = False) -> None:
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        # Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new connections
        # over them. With one shared socket whichever worker woke first took a burst of keep-alive
        # connections, up to 15 of 16, so one interpreter did nearly all the work (docs/benchmarks.md).
        "reuse_port": True,
        "limit_request_line": 8190,
        "accesslog": "-" if access_log else None,
    }
    WaakvlamServer(options).run()
