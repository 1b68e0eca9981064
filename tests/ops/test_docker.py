"""Smoke test of the Docker image: build it, run it against the emulator, see it healthy.

Runs where a Docker daemon answers (``docker info``); elsewhere it is skipped, saying why.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from emulator import Emulator, EmulatorServer
from tests.conftest import TEST_KEY
from tests.process.test_bot_process import ROOT, wait_for


def docker_available() -> str | None:
    """None if a daemon answers, else why not."""
    if shutil.which("docker") is None:
        return "no docker command on PATH"
    probe = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=30)  # noqa: S607
    if probe.returncode != 0:
        return "no Docker daemon answers `docker info` (" + probe.stderr.strip()[-120:] + ")"
    return None


why_not = docker_available()
pytestmark = pytest.mark.skipif(
    why_not is not None, reason=f"Docker image smoke test needs a Docker daemon: {why_not}"
)


def docker(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)  # noqa: S603,S607


async def test_image_builds_runs_stays_on_data_and_is_healthy(tmp_path: Path) -> None:
    tag = f"pamoja-smoke:{uuid.uuid4().hex[:8]}"
    built = await asyncio.to_thread(docker, "build", "-t", tag, str(ROOT))
    assert built.returncode == 0, built.stderr[-3000:]
    name = f"pamoja-smoke-{uuid.uuid4().hex[:8]}"
    try:
        version = docker("run", "--rm", tag, "pamoja", "--version")
        assert version.stdout.startswith("pamoja "), version.stderr

        # A root-owned bind mount: one sentence, no traceback.
        root_owned = tmp_path / "root-owned"
        root_owned.mkdir(mode=0o755)
        refused = docker(
            "run",
            "--rm",
            "-e",
            "PAMOJA_TELEGRAM_TOKEN=123456:abcdefghijklmnop",
            "-e",
            f"PAMOJA_DATA_KEY={TEST_KEY}",
            "-v",
            f"{root_owned}:/data",
            tag,
            timeout=120,
        )
        assert refused.returncode == 2 and "not writable" in refused.stderr, refused.stderr
        assert "Traceback" not in refused.stderr

        emu = Emulator()
        async with EmulatorServer(emu, host="0.0.0.0") as server:  # noqa: S104
            env_file = tmp_path / ".env"
            env_file.write_text(
                (ROOT / "config" / "example.env")
                .read_text()
                .replace("PAMOJA_TELEGRAM_TOKEN=\n", f"PAMOJA_TELEGRAM_TOKEN={emu.token}\n")
                .replace("PAMOJA_DATA_KEY=\n", f"PAMOJA_DATA_KEY={TEST_KEY}\n")
                .replace(
                    "PAMOJA_BOT_API_URL=https://api.telegram.org",
                    f"PAMOJA_BOT_API_URL=http://127.0.0.1:{server.port}",
                )
                + "PAMOJA_DATABASE_PATH=data/pamoja.sqlite3\n"  # an .env that tries to move it
            )
            started = docker(
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "host",
                "--env-file",
                str(env_file),
                "-v",
                f"{name}:/data",
                tag,
                timeout=120,
            )
            assert started.returncode == 0, started.stderr
            amina = emu.add_user("Amina")
            await wait_for(lambda: bool(emu.calls_to("deleteWebhook")), 60)
            emu.start_bot(amina)
            await wait_for(lambda: emu.last_bot_message(amina) is not None, 30)
            await asyncio.sleep(2)
            health = docker("exec", name, "pamoja", "health", timeout=60)
            assert health.returncode == 0, health.stderr
            listing = docker("exec", name, "ls", "-l", "/data", timeout=60)
            assert "pamoja.sqlite3" in listing.stdout and "-rw-------" in listing.stdout
    finally:
        docker("rm", "-f", name, timeout=120)
        docker("volume", "rm", "-f", name, timeout=120)
        docker("rmi", "-f", tag, timeout=120)
