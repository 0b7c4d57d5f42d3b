"""Running the production HTTP server (gunicorn) from inside the `waakvlam` command."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication


class WaakvlamServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self) -> Any:
        from waakvlam.config.wsgi import application

        return application


def serve(*, host: str, port: int, workers: int, threads: int = 4, access_log: bool = False) -> None:
    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        "limit_request_line": 8190,
        "accesslog": "-" if access_log else None,
    }
    WaakvlamServer(options).run()
