"""getMe, bot commands and descriptions, and the webhook settings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from emulator.errors import bad_request
from emulator.methods.base import MethodSpec
from emulator.params import Params
from emulator.serialize import user_json
from emulator.world import JSON

if TYPE_CHECKING:
    from emulator.state import World

_SCOPES_WITH_CHAT = {"chat", "chat_administrators", "chat_member"}
_SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
MAX_COMMANDS = 100


def get_me(world: World, _params: Params) -> JSON:
    data = user_json(world.bot)
    data.update(
        can_join_groups=True,
        can_read_all_group_messages=not world.privacy_mode,
        supports_inline_queries=False,
        can_connect_to_business=False,
        has_main_web_app=False,
    )
    return data


def scope_key(world: World, scope: Any) -> str:
    """A stable key for a BotCommandScope; chat scopes must name a chat the bot knows."""
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = str(scope["type"])
    if kind in _SCOPES:
        return kind
    if kind not in _SCOPES_WITH_CHAT:
        raise bad_request("wrong BotCommandScope type specified")
    chat = world.find_chat(scope.get("chat_id", ""))
    if chat is None:
        raise bad_request("chat not found")
    if kind != "chat_member":
        return f"{kind}:{chat.id}"
    user_id = scope.get("user_id")
    if not isinstance(user_id, int) or user_id not in world.users:
        raise bad_request("user not found")
    return f"{kind}:{chat.id}:{user_id}"


def _language(params: Params) -> str:
    language = params.text("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return language


def set_my_commands(world: World, params: Params) -> bool:
    commands = params.decoded("commands", "commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    checked: list[JSON] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name = str(command.get("command", ""))
        description = str(command.get("description", ""))
        if not _COMMAND.match(name):
            raise bad_request("BOT_COMMAND_INVALID")
        if not description.strip() or len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": name, "description": description})
    key = (scope_key(world, params.decoded("scope", "scope")), _language(params))
    if checked:
        world.profile.commands[key] = checked
    else:
        world.profile.commands.pop(key, None)
    return True


def get_my_commands(world: World, params: Params) -> list[JSON]:
    key = (scope_key(world, params.decoded("scope", "scope")), _language(params))
    return [dict(command) for command in world.profile.commands.get(key, [])]


def delete_my_commands(world: World, params: Params) -> bool:
    key = (scope_key(world, params.decoded("scope", "scope")), _language(params))
    world.profile.commands.pop(key, None)
    return True


def _set_description(kind: str, field: str, limit: int) -> MethodSpec:
    def handler(world: World, params: Params) -> bool:
        text = params.text(field) or ""
        if len(text) > limit:
            raise bad_request(f"{kind.replace('_', ' ')} is too long")
        key = (kind, _language(params))
        if text:
            world.profile.descriptions[key] = text
        else:
            world.profile.descriptions.pop(key, None)
        return True

    name = "setMyDescription" if kind == "description" else "setMyShortDescription"
    return MethodSpec(name, handler)


def _get_description(kind: str, field: str) -> MethodSpec:
    def handler(world: World, params: Params) -> JSON:
        return {field: world.profile.descriptions.get((kind, _language(params)), "")}

    name = "getMyDescription" if kind == "description" else "getMyShortDescription"
    return MethodSpec(name, handler)


def set_webhook(world: World, params: Params) -> bool:
    url = params.text("url") or ""
    if url and not url.lower().startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    allowed = params.str_list("allowed_updates")
    if allowed is not None:
        world.updates.set_allowed(allowed)
    if params.flag("drop_pending_updates"):
        world.updates.drop_all()
    world.webhook.url = url
    world.webhook.secret_token = params.text("secret_token")
    world.webhook.max_connections = params.integer("max_connections") or 40
    world.webhook.ip_address = params.text("ip_address")
    world.webhook.has_custom_certificate = "certificate" in params.files
    if url:
        world.updates.interrupt_polls()
    return True


def delete_webhook(world: World, params: Params) -> bool:
    if params.flag("drop_pending_updates"):
        world.updates.drop_all()
    world.webhook.url = ""
    world.webhook.secret_token = None
    return True


def get_webhook_info(world: World, _params: Params) -> JSON:
    info: JSON = {
        "url": world.webhook.url,
        "has_custom_certificate": world.webhook.has_custom_certificate,
        "pending_update_count": world.updates.pending_count(),
    }
    if world.webhook.url:
        info["max_connections"] = world.webhook.max_connections
        info["allowed_updates"] = sorted(world.updates.allowed)
        if world.webhook.ip_address:
            info["ip_address"] = world.webhook.ip_address
    return info


def log_out(_world: World, _params: Params) -> bool:
    return True


SPECS = (
    MethodSpec("getMe", get_me),
    MethodSpec("setMyCommands", set_my_commands),
    MethodSpec("getMyCommands", get_my_commands),
    MethodSpec("deleteMyCommands", delete_my_commands),
    _set_description("description", "description", 512),
    _set_description("short_description", "short_description", 120),
    _get_description("description", "description"),
    _get_description("short_description", "short_description"),
    MethodSpec("setWebhook", set_webhook),
    MethodSpec("deleteWebhook", delete_webhook),
    MethodSpec("getWebhookInfo", get_webhook_info),
    MethodSpec("logOut", log_out),
    MethodSpec("close", log_out),
)
