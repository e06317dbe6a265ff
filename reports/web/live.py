"""The workspace served from a background thread on a free port of 127.0.0.1, for the browser tests,
bench/web.py and scripts/web_screenshots.py (the same uvicorn server `scrutiny serve` runs)."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from reports.web.core import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(settings: Settings, timeout: float = 20.0) -> Iterator[str]:
    """Yield the base URL ("http://127.0.0.1:PORT") while the app serves `settings`' KB."""
    import uvicorn

    from reports.web.app import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True, name=f"scrutiny-web-{port}")
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the web workspace did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
