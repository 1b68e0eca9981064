"""The ops commands and behaviours as an operator meets them: ``python -m bot`` as a process."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from emulator import Emulator, EmulatorServer
from tests.process.test_bot_process import ROOT, bot_env, free_port, start_bot, wait_for


def pamoja(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_version_and_keygen_without_site_packages() -> None:
    shown = pamoja("--version")
    assert shown.returncode == 0 and shown.stdout.startswith("pamoja 0.1.0 (database schema ")
    # keygen needs only the standard library: -S hides every installed package.
    key = subprocess.run(
        [sys.executable, "-S", "-m", "bot", "keygen"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout.strip()
    import base64

    assert len(base64.urlsafe_b64decode(key)) == 32


def test_schema_guard_and_bad_paths_are_one_sentence(tmp_path: Path) -> None:
    env = bot_env(tmp_path, PAMOJA_TELEGRAM_TOKEN="123456:abcdefghijklmnop")
    db = Path(env["PAMOJA_DATABASE_PATH"])
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    newer = pamoja(env=env, cwd=tmp_path)
    assert newer.returncode == 2, newer.stderr
    assert "has schema 99, newer than this Pamoja" in newer.stderr
    assert "Traceback" not in newer.stderr and len(newer.stderr.strip().splitlines()) == 1

    (tmp_path / "afile").write_text("x")
    env.update(PAMOJA_DATABASE_PATH=str(tmp_path / "afile" / "db.sqlite3"))
    blocked = pamoja(env=env, cwd=tmp_path)
    assert blocked.returncode == 2 and "cannot be created because" in blocked.stderr
    env.update(PAMOJA_DATABASE_PATH=str(tmp_path), PAMOJA_CRISIS_LINES_PATH=str(tmp_path / "no"))
    both = pamoja(env=env, cwd=tmp_path)
    assert both.returncode == 2 and "Traceback" not in both.stderr
    assert "is the folder" in both.stderr and "PAMOJA_CRISIS_LINES_PATH" in both.stderr


async def test_start_up_waits_for_the_bot_api_then_health_and_metrics(tmp_path: Path) -> None:
    api_port, metrics_port = free_port(), free_port()
    emu = Emulator()
    env = bot_env(
        tmp_path,
        PAMOJA_TELEGRAM_TOKEN=emu.token,
        PAMOJA_BOT_API_URL=f"http://127.0.0.1:{api_port}",
        PAMOJA_METRICS_PORT=str(metrics_port),
        PAMOJA_LOG_FORMAT="json",
    )
    running = await start_bot(env, tmp_path)
    try:
        # Telegram is unreachable: the bot says so and waits, it does not exit (however long
        # its start takes on a busy machine).
        await running.wait_for_line("unreachable")
        assert running.process.returncode is None
        unhealthy = await asyncio.to_thread(pamoja, "health", env=env, cwd=tmp_path)
        assert unhealthy.returncode == 1 and "unhealthy" in unhealthy.stderr
        async with EmulatorServer(emu, port=api_port):
            await wait_for(lambda: bool(emu.calls_to("deleteWebhook")), 30)
            amina = emu.add_user("Amina")
            emu.start_bot(amina)
            await wait_for(lambda: emu.last_bot_message(amina) is not None)
            heartbeat = Path(env["PAMOJA_DATABASE_PATH"] + ".heartbeat")
            await wait_for(heartbeat.exists)
            healthy = await asyncio.to_thread(pamoja, "health", env=env, cwd=tmp_path)
            assert healthy.returncode == 0, healthy.stderr
            assert healthy.stdout.startswith("healthy:")
            async with httpx.AsyncClient() as client:
                scraped = (await client.get(f"http://127.0.0.1:{metrics_port}/metrics")).text
            assert 'pamoja_bot_api_calls_total{method="getUpdates"}' in scraped
            assert 'pamoja_updates_total{kind="message"} 1.0' in scraped
            assert "pamoja_outbox_depth" in scraped and "pamoja_scheduled_due" in scraped
            assert emu.token not in scraped and str(amina.id) not in scraped
            backup = await asyncio.to_thread(
                pamoja, "backup", str(tmp_path / "b.sqlite3"), env=env, cwd=tmp_path
            )
            assert backup.returncode == 0 and "mode 0600, checked" in backup.stdout
            refused = await asyncio.to_thread(
                pamoja, "restore", str(tmp_path / "b.sqlite3"), env=env, cwd=tmp_path
            )
            assert refused.returncode == 1 and "stop it before running a restore" in refused.stderr
            code = await running.stop()
    finally:
        if running.process.returncode is None:
            await running.stop()
    assert code == 0, running.stderr
    lines = [json.loads(line) for line in running.stderr.splitlines() if line.strip()]
    assert any("unreachable" in line["message"] for line in lines)
    assert emu.token not in running.stderr and "Amina" not in running.stderr
    assert not heartbeat.exists()  # noqa: ASYNC240 - removed on a clean stop
