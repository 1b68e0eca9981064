"""Every kind of message the bot writes to the outbox travels in a declared lane, and the
critical lane holds exactly what must never wait behind a burst."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from bot.delivery import outbox

BOT = Path(__file__).resolve().parents[2] / "bot"
# The outbox's writers, and the features' helpers that hand their kind on to one of them.
WRITERS = {"send_critical", "enqueue", "send_tracked", "reply", "_tell_member"}
KIND_AT = {"_rules_privately": 4}  # a kind passed by position

CRITICAL = {
    "help_text",
    "support_now",
    "summary",
    "admin_card",
    "disclosure_notice",
    "consent_question",
    "consent_answer",
    "talk",
    "relay",
    "talk_offer",
    "talk_team_offer",
    "exclusion_support",
    "failure_notice",
}


def _written_kinds() -> dict[str, str]:
    """Each kind written somewhere in bot/, with where (the value as the module sees it)."""
    found: dict[str, str] = {}
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = None
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            values = [kw.value for kw in node.keywords if kw.arg == "kind" and name in WRITERS]
            if name in KIND_AT and len(node.args) > KIND_AT[name]:
                values.append(node.args[KIND_AT[name]])
            for value in values:
                if isinstance(value, ast.Name) and value.id == "kind":
                    continue  # handed on: its callers are scanned
                if module is None:
                    dotted = ".".join(path.relative_to(BOT.parent).with_suffix("").parts)
                    module = importlib.import_module(dotted.removesuffix(".__init__"))
                kind = eval(compile(ast.Expression(value), str(path), "eval"), vars(module))  # noqa: S307
                assert isinstance(kind, str), f"{path}:{node.lineno}"
                found.setdefault(kind, f"{path.relative_to(BOT.parent)}:{node.lineno}")
    return found


def test_every_written_kind_has_a_declared_lane() -> None:
    declared = outbox.CRITICAL_KINDS | outbox.NOTICE_KINDS | outbox.BULK_KINDS
    written = _written_kinds()
    assert len(written) > 30  # the scan finds the bot's writers
    undeclared = {kind: where for kind, where in written.items() if kind not in declared}
    assert undeclared == {}
    assert declared - set(written) == set()  # no lane declared for a kind nobody writes


def test_lanes_do_not_overlap_and_critical_is_the_listed_set() -> None:
    lanes = (outbox.CRITICAL_KINDS, outbox.NOTICE_KINDS, outbox.BULK_KINDS)
    assert sum(len(lane) for lane in lanes) == len(set().union(*lanes))
    assert outbox.CRITICAL_KINDS == CRITICAL
    assert {outbox.lane_for(kind) for kind in CRITICAL} == {"critical"}


def test_welcomes_reminders_and_check_ins_are_bulk_moderation_notices_next() -> None:
    for kind in ("rules_welcome", "welcome_private", "welcome_back", "reminder", "checkin"):
        assert outbox.lane_for(kind) == "bulk", kind
    for kind in ("peers.checkin", "peers.listener_check", "sessions.reminder"):
        assert outbox.lane_for(kind) == "bulk", kind
    for kind in ("warning", "mute_notice", "unmute_notice", "notice", "audit_mirror", "brief"):
        assert outbox.lane_for(kind) == "notice", kind
    assert outbox.lane_for("answer") == "notice"
