"""Who asked to be checked in on if they go quiet: only their "I wrote" moments are noticed
(never what they wrote), and only for them. Everyone else's silence is their own."""

from __future__ import annotations

WRITE_EVERY = 3600
"""At most one write an hour per watched person: the per-message path stays lean."""


class QuietWatch:
    def __init__(self) -> None:
        self._watched: dict[int, int] = {}
        self.loaded = False

    def load(self, user_ids: list[int]) -> None:
        self._watched = dict.fromkeys(user_ids, 0)
        self.loaded = True

    def watch(self, user_id: int) -> None:
        self._watched.setdefault(user_id, 0)

    def unwatch(self, user_id: int) -> None:
        self._watched.pop(user_id, None)

    def due_write(self, user_id: int, now: int) -> bool:
        """This person is watched and their last noticed moment is over an hour old."""
        last = self._watched.get(user_id)
        if last is None or now - last < WRITE_EVERY:
            return False
        self._watched[user_id] = now
        return True
