"""Webhook mode: Telegram's 200 comes after the update was carried out, and an update sent
again (Telegram retries one it got no answer for) is not carried out twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from emulator import Emulator
from tests.process.test_bot_process import (
    free_port,
    served,
    start_bot,
    start_update,
    wait_for,
    webhook_env,
)

__all__ = ["served"]


async def test_an_update_sent_twice_is_carried_out_once(
    served: tuple[Emulator, str], tmp_path: Path
) -> None:
    emu, url = served
    port = free_port()
    env = webhook_env(tmp_path, emu, url, port)
    running = await start_bot(env, tmp_path)
    try:
        await wait_for(lambda: bool(emu.calls_to("setWebhook")))
        amina = emu.add_user("Amina")
        emu.start_bot(amina)
        emu.take_updates()
        update = start_update(7, amina.id)
        hook = f"http://127.0.0.1:{port}/telegram"
        async with httpx.AsyncClient(timeout=30) as client:
            for _ in range(100):
                try:
                    first = await client.post(hook, json=update)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
            # The answer came after the welcome was sent: carried out, not merely queued.
            assert first.status_code == 200
            assert len(emu.bot_messages(amina)) == 1
            again = await client.post(hook, json=update)
            assert again.status_code == 200
            unreadable = await client.post(hook, json={"update_id": 8, "message": {"x": 1}})
            assert unreadable.status_code == 200  # skipped, not refused for ever
        await asyncio.sleep(0.3)
        assert len(emu.bot_messages(amina)) == 1
    finally:
        code = await running.stop()
    assert code == 0, running.stderr
    assert "Traceback" not in running.stderr
