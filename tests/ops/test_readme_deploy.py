"""The README's deployment steps, run as written in a fresh copy of the repository.

The tracked files (and any new ones not ignored) are copied to a temporary folder, as a clone
would have them; the shell blocks under ``<!-- deploy:... -->`` in README.md are run there in
order; the deployer's one manual step (typing the token and key into ``.env``) is done by
editing those two lines, plus pointing PAMOJA_BOT_API_URL at the emulator. The install uses the
dev environment's ``uv`` (on PATH), as a deployer with uv would, to stay fast.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from emulator import Emulator, EmulatorServer
from tests.process.test_bot_process import ROOT, wait_for


def deploy_blocks() -> dict[str, list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"<!-- deploy:(\w+) -->\s*```sh\n(.*?)```", text, flags=re.S)
    return {
        name: [line.split("#")[0].strip() for line in body.splitlines() if line.strip()]
        for name, body in found
    }


def fresh_copy(target: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


async def test_readme_deployment_steps_work_as_written(tmp_path: Path) -> None:
    blocks = deploy_blocks()
    assert list(blocks) == ["install", "configure", "start"]
    clone = tmp_path / "pamoja"
    fresh_copy(clone)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAMOJA_", "VIRTUAL_ENV"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # uv

    def sh(command: str) -> str:
        done = subprocess.run(  # noqa: S602
            command, shell=True, cwd=clone, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        return done.stdout

    for command in blocks["install"]:
        sh(command)
    outputs = [sh(command) for command in blocks["configure"]]
    key = outputs[-1].strip()
    assert (clone / ".env").stat().st_mode & 0o777 == 0o600

    emu = Emulator()
    async with EmulatorServer(emu) as server:
        dotenv = (clone / ".env").read_text()
        dotenv = dotenv.replace("PAMOJA_TELEGRAM_TOKEN=\n", f"PAMOJA_TELEGRAM_TOKEN={emu.token}\n")
        dotenv = dotenv.replace("PAMOJA_DATA_KEY=\n", f"PAMOJA_DATA_KEY={key}\n")
        dotenv = re.sub(r"PAMOJA_BOT_API_URL=.*", f"PAMOJA_BOT_API_URL={server.url}", dotenv)
        (clone / ".env").write_text(dotenv)
        [start] = blocks["start"]
        bot = await asyncio.create_subprocess_exec(  # the one command, so SIGTERM reaches it
            *shlex.split(start), cwd=clone, env=env, stderr=asyncio.subprocess.PIPE
        )
        try:
            amina = emu.add_user("Amina")
            await wait_for(lambda: bool(emu.calls_to("deleteWebhook")), 30)
            emu.start_bot(amina)
            await wait_for(lambda: emu.last_bot_message(amina) is not None)
            assert "welcome to Pamoja" in (emu.last_bot_message(amina).text or "")
            database = clone / "data" / "pamoja.sqlite3"
            assert database.stat().st_mode & 0o777 == 0o600
            await wait_for((clone / "data" / "pamoja.sqlite3.heartbeat").exists)
            health = await asyncio.to_thread(sh, ".venv/bin/pamoja health")
            assert health.startswith("healthy")
            backup = await asyncio.to_thread(
                sh, "mkdir -p backups && .venv/bin/pamoja backup backups/"
            )
            assert "checked" in backup
        finally:
            bot.terminate()
            _, err = await asyncio.wait_for(bot.communicate(), 30)
    stderr = err.decode()
    assert bot.returncode == 0, stderr
    assert "Traceback" not in stderr and emu.token not in stderr and key not in stderr
