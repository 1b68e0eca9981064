"""The README's first command: the demo, played as a process over HTTP, to its end.

``./scripts/demo`` runs ``python -m bot demo``: the real bot polls the emulator over HTTP while
people act in every scene. Its timing is a real process's (the bot answers when it has done its
work, not when a test feeds it), so this is where a scene that waits too little, or a first
advert the scorer takes long to screen, shows.
"""

from __future__ import annotations

import subprocess
import sys

from bot.demo.scenes import SCENES


def test_the_demo_plays_every_scene_to_the_end() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    for title, _play in SCENES:
        assert f"=== {title} ===" in result.stdout, title
    assert "Demo finished" in result.stdout
    assert "Traceback" not in result.stderr
    assert "ERROR" not in result.stderr, result.stderr[-2000:]  # nothing failed on the way
