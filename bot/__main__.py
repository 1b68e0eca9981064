"""``python -m bot`` runs the bot; ``demo`` plays a scripted group, no token needed."""

from __future__ import annotations

import argparse
import asyncio
import base64
import secrets
import sys

from telegram.error import InvalidToken, NetworkError

from bot.app import ALLOWED_UPDATES, build_application
from bot.logs import configure_logging
from bot.settings import Mode, Settings, SettingsError, load_settings
from bot.storage.store import WrongDataKeyError

WRONG_KEY = (
    "PAMOJA_DATA_KEY does not match the key this database was written with: use the original "
    "key (the stored details cannot be read without it) or point PAMOJA_DATABASE_PATH elsewhere."
)


def run(settings: Settings) -> int:
    secrets = [settings.telegram_token.get_secret_value(), settings.data_key.get_secret_value()]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets)
    app = build_application(settings)
    try:
        if settings.mode is Mode.WEBHOOK:
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path="telegram",
                webhook_url=settings.webhook_url,
                secret_token=(
                    settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
                ),
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
    except WrongDataKeyError:
        print(WRONG_KEY, file=sys.stderr)
        return 2
    except InvalidToken:
        print(
            "The Bot API refused PAMOJA_TELEGRAM_TOKEN: check the token @BotFather gave you.",
            file=sys.stderr,
        )
        return 2
    except NetworkError as error:
        print(
            f"Could not reach the Bot API at {settings.bot_api_url} ({type(error).__name__}): "
            "check PAMOJA_BOT_API_URL and the network.",
            file=sys.stderr,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pamoja", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default)")
    sub.add_parser("demo", help="play a scripted group against a local Bot API emulator")
    sub.add_parser("keygen", help="print a new random PAMOJA_DATA_KEY")
    emulator = sub.add_parser("emulator", help="serve the Bot API emulator over HTTP")
    emulator.add_argument("--host", default="127.0.0.1")
    emulator.add_argument("--port", type=int, default=8081)
    args = parser.parse_args(argv)
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
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    return run(settings)


if __name__ == "__main__":
    sys.exit(main())
