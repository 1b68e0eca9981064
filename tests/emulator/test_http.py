"""The emulator over HTTP: a real PTB Bot with base_url, and the JSON control API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, InputFile
from telegram.error import BadRequest, Forbidden, InvalidToken

from emulator import Emulator, EmulatorServer

from .conftest import Cast


@pytest.fixture
async def root(emu: Emulator) -> AsyncIterator[str]:
    async with EmulatorServer(emu) as server:
        yield server.url


@pytest.fixture
async def http_bot(emu: Emulator, root: str) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=f"{root}/bot") as bot:
        yield bot


async def test_round_trips_over_http(http_bot: Bot, emu: Emulator, cast: Cast) -> None:
    me = await http_bot.get_me()
    assert me.username == "PamojaBot"
    sent = await http_bot.send_message(cast.group.id, "<b>Karibu</b>", parse_mode="HTML")
    assert sent.text == "Karibu"
    document = await http_bot.send_document(
        cast.group.id, InputFile(b"line 1\nline 2\n", filename="notes.txt"), caption="notes"
    )
    assert document.document is not None
    assert document.document.file_name == "notes.txt"
    [stored] = emu.sent_files(cast.group)
    assert (stored.file_name, stored.data, stored.caption) == (
        "notes.txt",
        b"line 1\nline 2\n",
        "notes",
    )
    with pytest.raises(Forbidden, match="bot can't initiate conversation"):
        await http_bot.send_message(cast.juma.id, "hi")
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await http_bot.delete_message(cast.group.id, 9999)


async def test_long_polling_over_http(http_bot: Bot, emu: Emulator, cast: Cast) -> None:
    poll = asyncio.create_task(http_bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    emu.send(cast.group, cast.juma, "are you there?")
    updates = await asyncio.wait_for(poll, 3)
    assert [u.message.text for u in updates if u.message] == ["are you there?"]
    await emu.wait_idle(quiet=0.05, timeout=2)


async def test_wrong_token_over_http(emu: Emulator, root: str) -> None:
    bot = Bot("42:nope", base_url=f"{root}/bot")
    with pytest.raises(InvalidToken):
        await bot.initialize()
    await bot.shutdown()


async def test_plain_http_encodings(emu: Emulator, root: str, cast: Cast) -> None:
    url = f"{root}/bot{emu.token}"
    async with httpx.AsyncClient() as client:
        by_query = await client.get(f"{url}/getChat", params={"chat_id": cast.group.id})
        assert by_query.json()["result"]["title"] == "Peer Group"
        by_json = await client.post(
            f"{url}/sendMessage", json={"chat_id": cast.group.id, "text": "json body"}
        )
        assert by_json.json()["result"]["text"] == "json body"
        by_form = await client.post(
            f"{url}/SendMessage",
            data={"chat_id": str(cast.group.id), "text": "form", "disable_notification": "true"},
        )
        assert by_form.json()["ok"] is True
        unknown = await client.post(f"{url}/noSuchMethod")
        assert (unknown.status_code, unknown.json()["description"]) == (404, "Not Found")


async def test_control_api(emu: Emulator, root: str) -> None:
    async with httpx.AsyncClient(base_url=f"{root}/_emulator") as client:

        async def act(action: str, **arguments: object) -> object:
            response = await client.post("/act", json={"action": action, **arguments})
            body = response.json()
            assert body["ok"], body
            return body["result"]

        amina = await act("add_user", first_name="Amina")
        assert isinstance(amina, dict)
        group = await act("add_group", title="Circle", owner=amina["id"])
        assert isinstance(group, dict)
        await act("add_bot_to_group", chat=group["id"], by=amina["id"])
        await act("send", chat=group["id"], user=amina["id"], text="hello from outside")
        await act(
            "send_document", chat=group["id"], user=amina["id"], file_name="a.txt", data="abc"
        )
        transcript = (await client.get("/transcript")).json()["result"]
        assert "[Circle] Amina: hello from outside" in transcript["text"]
        messages = (await client.get("/messages", params={"chat_id": group["id"]})).json()
        assert messages["result"][-1]["file_name"] == "a.txt"
        member = (
            await client.get("/member", params={"chat_id": group["id"], "user_id": amina["id"]})
        ).json()
        assert member["result"]["status"] == "creator"
        refused = await client.post(
            "/act", json={"action": "leave", "chat": group["id"], "user": amina["id"]}
        )
        assert refused.status_code == 400
        assert refused.json()["ok"] is False
        bad = await client.post("/act", json={"action": "__init__"})
        assert bad.status_code == 400
        await client.get(f"{root}/bot{emu.token}/getMe")
        calls = (await client.get("/calls")).json()["result"]
        assert emu.token not in str(calls)
        idle = await client.post("/wait_idle", json={"quiet": 0.01, "timeout": 0.1})
        assert idle.json()["ok"] is False  # updates were never fetched: not idle


async def test_stop_ends_a_pending_long_poll(emu: Emulator) -> None:
    server = EmulatorServer(emu)
    root = await server.start()
    async with httpx.AsyncClient() as client:
        poll = asyncio.create_task(
            client.get(f"{root}/bot{emu.token}/getUpdates", params={"timeout": 30}, timeout=5)
        )
        await asyncio.sleep(0.1)
        await server.stop()
        response = await asyncio.wait_for(poll, 3)
        assert response.status_code == 503
