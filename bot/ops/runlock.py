"""One bot per database: a lock file beside the database, held while the bot runs.

``restore`` and ``rekey`` take the same lock, so they refuse while the bot runs and the bot
refuses to start while they work. The lock is the kernel's (``flock``): it goes with the process,
so a crashed bot never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from bot.ops import OpsError


class AlreadyRunningError(OpsError):
    """Another process (the bot, a restore or a rekey) holds the database's lock."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class RunLock:
    def __init__(self, database: Path, *, what: str = "the bot") -> None:
        self.path = lock_path(database)
        self.what = what
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunningError(
                f"Another Pamoja process is using {self.path.with_suffix('')} "
                f"(the bot, a restore or a rekey): stop it before running {self.what}."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def is_locked(database: Path) -> bool:
    """Whether some process holds the database's lock now."""
    path = lock_path(database)
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
