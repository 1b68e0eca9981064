"""The heartbeat: a small JSON file the running bot rewrites, and systemd's watchdog.

Every ``INTERVAL`` seconds the bot checks its database and writes, atomically, when it last
exchanged with the Bot API successfully and when the database check last passed. ``pamoja
health`` (Docker's ``HEALTHCHECK``) reads the file; under systemd (``Type=notify``) the bot also
tells the service manager it is ready and, while healthy, pets the watchdog (``WATCHDOG=1``).
The file holds times and the process id only.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
INTERVAL = 15.0


def sd_notify(message: str) -> bool:
    """Send ``message`` to systemd if it started us with ``NOTIFY_SOCKET``; whether it was sent."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(address)
            sock.sendall(message.encode())
        except OSError:
            return False
    return True


def write_atomically(path: Path, data: dict[str, Any]) -> None:
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    partial.replace(path)


@dataclass
class Heartbeat:
    path: Path
    max_age: float
    started_at: float = field(default_factory=time.time)
    api_ok_at: float | None = None
    db_ok_at: float | None = None
    _ready_sent: bool = False

    def api_ok(self) -> None:
        self.api_ok_at = time.time()

    def db_ok(self) -> None:
        self.db_ok_at = time.time()

    def healthy(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return all(
            stamp is not None and now - stamp <= self.max_age
            for stamp in (self.api_ok_at, self.db_ok_at)
        )

    def write(self) -> None:
        data = {
            "pid": os.getpid(),
            "started_at": self.started_at,
            "api_ok_at": self.api_ok_at,
            "db_ok_at": self.db_ok_at,
            "written_at": time.time(),
        }
        try:
            write_atomically(self.path, data)
        except OSError as error:
            log.warning("heartbeat: cannot write the heartbeat file (%s)", type(error).__name__)
        if self.healthy():
            if not self._ready_sent:
                self._ready_sent = sd_notify("READY=1")
            sd_notify("WATCHDOG=1")

    def remove(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
        sd_notify("STOPPING=1")
