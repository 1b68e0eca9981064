"""``pamoja`` (or ``python -m bot``): run the bot, and the commands that look after it.

``keygen`` needs nothing but the standard library, so it works before Pamoja is installed
(``python3 -m bot keygen`` from a fresh clone); everything else is imported when it is used.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import logging
import secrets
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.crypto import FieldCipher
    from bot.settings import Settings

log = logging.getLogger("bot")

WRONG_KEY = (
    "PAMOJA_DATA_KEY does not match the key this database was written with: use the original "
    "key (while rotating: NEW,OLD) or point PAMOJA_DATABASE_PATH elsewhere; the stored details "
    "cannot be read without it."
)
MISSING_OLD_KEY = (
    "PAMOJA_DATA_KEY lacks a key this database still uses: list the new key first and the old "
    "one after it (NEW,OLD) until `pamoja rekey` has run."
)
MAX_RETRY_DELAY = 60.0


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pamoja")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _schema_too_new(found: int, known: int) -> str:
    return (
        f"The database at PAMOJA_DATABASE_PATH has schema {found}, newer than this Pamoja "
        f"({package_version()}, schema {known}) knows: run the newer version, or restore a "
        "backup made before the upgrade."
    )


def _store_refusal(error: Exception) -> str:
    """The one sentence for a database this build or this key cannot open."""
    from bot.storage.database import SchemaTooNewError
    from bot.storage.store import MissingOldKeyError

    if isinstance(error, SchemaTooNewError):
        return _schema_too_new(error.found, error.known)
    return MISSING_OLD_KEY if isinstance(error, MissingOldKeyError) else WRONG_KEY


def run(settings: Settings) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.app import ALLOWED_UPDATES, build_application
    from bot.logs import configure_logging
    from bot.ops import OpsError
    from bot.ops.runlock import RunLock
    from bot.polling import run_polling
    from bot.settings import Mode, SettingsError, check_paths
    from bot.storage.database import SchemaTooNewError
    from bot.storage.store import MissingOldKeyError, WrongDataKeyError

    try:
        check_paths(settings)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    hidden = [settings.telegram_token.get_secret_value(), *settings.data_keys]
    if settings.webhook_secret is not None:
        hidden.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, hidden, json_format=settings.log_format == "json")
    lock = RunLock(settings.database_path, what="the bot")
    try:
        lock.acquire()
    except OpsError as error:
        print(error, file=sys.stderr)
        return 2
    started = time.monotonic()
    delay = 1.0
    try:
        # The database first, before Telegram: a schema too new or a wrong key is said at once.
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.run_until_complete(_preflight(settings))
        while True:
            app = build_application(settings)
            try:
                if settings.mode is Mode.WEBHOOK:
                    from bot.webhook import run_webhook  # tornado: only when it is used

                    run_webhook(app, settings, ALLOWED_UPDATES)
                else:
                    run_polling(app, ALLOWED_UPDATES)
            except InvalidToken:
                print(
                    "The Bot API refused PAMOJA_TELEGRAM_TOKEN: check the token @BotFather gave "
                    "you.",
                    file=sys.stderr,
                )
                return 2
            except NetworkError as error:
                waited = time.monotonic() - started
                if waited + delay > settings.startup_retry_seconds:
                    print(
                        f"Could not reach the Bot API at {settings.bot_api_url} "
                        f"({type(error).__name__}): check PAMOJA_BOT_API_URL and the network.",
                        file=sys.stderr,
                    )
                    return 1
                log.warning(
                    "start-up: the Bot API is unreachable (%s); trying again in %.0f s",
                    type(error).__name__,
                    delay,
                )
                time.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_DELAY)
                continue
            return 0
    except (MissingOldKeyError, WrongDataKeyError, SchemaTooNewError) as error:
        # The database refuses this build or this key: before Telegram is contacted (the
        # preflight) or when the bot opens it again at start-up.
        print(_store_refusal(error), file=sys.stderr)
        return 2
    finally:
        lock.release()


async def _preflight(settings: Settings) -> None:
    """Open the database as the bot will (migrating it, backup first) and check the key."""
    from bot.crypto import FieldCipher
    from bot.storage.store import Store
    from bot.timeutil import Clock

    store = await Store.open(settings.database_path, FieldCipher(settings.data_keys), Clock())
    await store.close()


def _ops_settings() -> Settings | int:
    from bot.settings import SettingsError, check_paths, load_settings

    try:
        settings = load_settings()
        check_paths(settings)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    return settings


def _cipher(settings: Settings) -> FieldCipher:
    from bot.crypto import FieldCipher

    return FieldCipher(settings.data_keys)


def cmd_backup(target: Path) -> int:
    from bot.ops import OpsError
    from bot.ops.backup import backup

    settings = _ops_settings()
    if isinstance(settings, int):
        return settings
    try:
        info = backup(settings.database_path, target.expanduser().resolve())
    except OpsError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"backup: {info.path} ({info.size} bytes, schema {info.schema}, mode 0600, checked)")
    return 0


def cmd_restore(source: Path) -> int:
    from bot.ops import OpsError
    from bot.ops.restore import restore

    settings = _ops_settings()
    if isinstance(settings, int):
        return settings
    try:
        info = asyncio.run(
            restore(settings.database_path, source.expanduser().resolve(), _cipher(settings))
        )
    except OpsError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"restore: {source} is now {settings.database_path} (schema {info.schema}).")
    if info.replaced is not None:
        print(f"restore: the database it replaced is kept as {info.replaced}")
    return 0


def cmd_rekey() -> int:
    from bot.ops import OpsError
    from bot.ops.rekey import rekey

    settings = _ops_settings()
    if isinstance(settings, int):
        return settings
    try:
        report = asyncio.run(rekey(settings.database_path, _cipher(settings)))
    except OpsError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"rekey: backup first: {report.backup}")
    print(
        f"rekey: {report.fields} fields re-encrypted under key {report.key_id} "
        f"({report.already} already were), {report.digests} digests recomputed"
    )
    if report.withdrawn_invites:
        print(
            f"rekey: {report.withdrawn_invites} unanswered invite links withdrawn "
            "(members can send new ones)"
        )
    if report.dropped_reporters:
        print(
            f"rekey: {report.dropped_reporters} report rate-limit entries of unknown ids dropped"
        )
    print("rekey: done; every field is under the first key, the others can be removed.")
    return 0


def cmd_health() -> int:
    from bot.ops.health import check

    settings = _ops_settings()
    if isinstance(settings, int):
        return settings
    ok, sentence = check(settings.heartbeat_file, settings.health_max_age)
    print(sentence, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pamoja", description=__doc__)
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default)")
    sub.add_parser("demo", help="play a scripted group against a local Bot API emulator")
    sub.add_parser("keygen", help="print a new random PAMOJA_DATA_KEY")
    emulator = sub.add_parser("emulator", help="serve the Bot API emulator over HTTP")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=8081)
    backup = sub.add_parser("backup", help="copy the database, consistently, while it runs")
    backup.add_argument("path", type=Path, help="a new file, or a folder for a dated file")
    restore = sub.add_parser("restore", help="replace the database with a checked backup")
    restore.add_argument("path", type=Path)
    sub.add_parser("rekey", help="re-encrypt everything with the first key in PAMOJA_DATA_KEY")
    sub.add_parser("health", help="exit 0 if the running bot's heartbeat is fresh")
    args = parser.parse_args(argv)
    if args.version:
        from bot.storage.database import migration_scripts

        print(f"pamoja {package_version()} (database schema {len(migration_scripts())})")
        return 0
    if args.command == "keygen":
        print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        return 0
    if args.command == "demo":
        from bot.demo.runner import run_demo

        return asyncio.run(run_demo())
    if args.command == "emulator":
        from emulator.server import serve

        asyncio.run(serve(args.host, args.port))
        return 0
    if args.command == "backup":
        return cmd_backup(args.path)
    if args.command == "restore":
        return cmd_restore(args.path)
    if args.command == "rekey":
        return cmd_rekey()
    if args.command == "health":
        return cmd_health()
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
