"""The shape of the house, enforced: imports point one way, no circles, no hidden imports,
no shadowed handler registrations.

Read from the source with ``ast`` (top-level imports only; ``if TYPE_CHECKING:`` blocks are
type hints, not run-time imports).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram.ext import CallbackQueryHandler, CommandHandler

from tests.support import Harness

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "emulator")
FEATURES = ("rules", "moderation", "circle", "talk", "groups", "sessions", "peers", "kindwords")
# Pure policy modules: plain logic, unit-tested, no Telegram at all.
PURE = (
    "bot.moderation.durations",
    "bot.moderation.policy",
    "bot.moderation.prefilter",
    "bot.moderation.repetition",
    "bot.moderation.solicitation",
    "bot.rules.text",
    "bot.rules.schedule",
    "bot.rules.policy",
    "bot.talk.policy",
    "bot.talk.routing",
    "bot.circle.phone",
    "bot.sessions.rhythm",
    "bot.sessions.template",
    "bot.sessions.figures",
    "bot.peers.cadence",
    "bot.peers.watch",
    "bot.kindwords.invitation",
)


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    is_package = MODULES[module].name == "__init__.py"
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def runtime_imports(module: str) -> set[str]:
    """Modules of ours that ``module`` imports when it is loaded (not under TYPE_CHECKING)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                if not _is_type_checking(node):
                    visit(node.body)
                    visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, node)
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    found.add(sub if sub in MODULES else target)

    visit(tree.body)
    return {name for name in found if name.split(".")[0] in PACKAGES}


def all_imports(module: str) -> set[str]:
    """Every import of ours in ``module``, type-only ones included."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(_resolve(module, node))
    return found


def _nested_imports(path: Path) -> Iterator[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield inner.lineno


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# The command line imports each subcommand's needs when it runs (``keygen`` must work without
# python-telegram-bot installed); nothing else hides an import in a function.
LAZY_BY_DESIGN = ("bot.__main__",)


def test_no_import_inside_a_function() -> None:
    hidden = [
        f"{m}:{line}"
        for m, p in MODULES.items()
        if m not in LAZY_BY_DESIGN
        for line in _nested_imports(p)
    ]
    assert hidden == []


def test_no_import_circle_at_run_time() -> None:
    graph = {m: {t for t in runtime_imports(m) if t in MODULES} for m in MODULES}
    # a package's __init__ importing its own modules is how Python loads it, not a circle
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                walk(target, [*path, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert circles == []


def test_the_emulator_imports_nothing_from_bot() -> None:
    offenders = {
        m: sorted(t for t in all_imports(m) if _inside(t, "bot"))
        for m in MODULES
        if _inside(m, "emulator")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


@pytest.mark.parametrize("leaf", ["bot.records", "bot.errors", "bot.timeutil", "bot.ids"])
def test_leaf_modules_import_nothing_of_the_package(leaf: str) -> None:
    offenders = {
        m: sorted(t for t in all_imports(m) if _inside(t, "bot") and not _inside(t, leaf))
        for m in MODULES
        if _inside(m, leaf)
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_storage_imports_only_records_and_its_own_kind() -> None:
    # bot.effects: a leaf (no imports) where a write is noted for the update being handled
    allowed = ("bot.storage", "bot.records", "bot.crypto", "bot.timeutil", "bot.effects")
    offenders = {
        m: sorted(
            t
            for t in all_imports(m)
            if _inside(t, "bot") and not any(_inside(t, a) for a in allowed)
        )
        for m in MODULES
        if _inside(m, "bot.storage")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_nothing_below_the_handlers_imports_them() -> None:
    above = ("bot.handlers", "bot.app", "bot.demo", "bot.__main__")
    offenders = {
        m: sorted(t for t in all_imports(m) if _inside(t, "bot.handlers"))
        for m in MODULES
        if not any(_inside(m, a) for a in above)
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_adapters_know_no_feature() -> None:
    features = [f"bot.{name}" for name in FEATURES]
    offenders = {
        m: sorted(t for t in all_imports(m) if any(_inside(t, f) for f in features))
        for m in MODULES
        if _inside(m, "bot.adapters")
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def _telegram_constructions(path: Path) -> list[str]:
    """Calls that construct a Telegram keyboard or button (type hints do not count)."""
    names = {"InlineKeyboardButton", "InlineKeyboardMarkup", "ReplyKeyboardMarkup"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in names:
                found.append(f"{path.name}:{node.lineno}")
    return found


def test_domain_modules_build_no_telegram_objects() -> None:
    """Buttons are plain data in a feature (its ``callbacks.py``); the shared keyboard adapter
    turns them into Telegram's objects."""
    offenders = [
        place
        for m, path in MODULES.items()
        if any(_inside(m, f"bot.{f}") for f in FEATURES)
        for place in _telegram_constructions(path)
    ]
    assert offenders == []


@pytest.mark.parametrize("module", PURE)
def test_pure_policy_modules_import_no_telegram(module: str) -> None:
    imports = all_imports(module)
    assert not [name for name in imports if _inside(name, "telegram")]
    assert not [name for name in imports if _inside(name, "bot") and "storage" in name]


def test_no_type_ignore_in_the_package() -> None:
    found = [
        f"{m}:{number}"
        for m, path in MODULES.items()
        if _inside(m, "bot")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line
    ]
    assert found == []


async def test_no_registration_that_can_never_match(harness: Harness) -> None:
    """A command or button handler behind an earlier one of its group that takes all it could."""

    async def noop(_update: object, _context: object) -> None:
        return None

    default = repr(CommandHandler("probe", noop).filters)
    shadowed: list[str] = []
    for group, handlers in harness.app.handlers.items():
        commands_seen: list[tuple[frozenset[str], str]] = []
        patterns_seen: set[str] = set()
        catch_all = False
        for handler in handlers:
            if isinstance(handler, CommandHandler):
                key = repr(handler.filters)
                for commands, earlier in commands_seen:
                    if handler.commands <= commands and earlier in (key, default):
                        shadowed.append(f"group {group}: /{sorted(handler.commands)} {key}")
                commands_seen.append((frozenset(handler.commands), key))
            elif isinstance(handler, CallbackQueryHandler):
                pattern = getattr(handler.pattern, "pattern", handler.pattern)
                if catch_all or str(pattern) in patterns_seen:
                    shadowed.append(f"group {group}: button handler {pattern}")
                catch_all = catch_all or pattern is None
                patterns_seen.add(str(pattern))
    assert shadowed == []


async def test_scheduled_action_kinds_read_feature_dot_what(harness: Harness) -> None:
    kinds = harness.app.bot_data.scheduler.kinds
    assert kinds and all(re.fullmatch(r"[a-z]+\.[a-z_]+", kind) for kind in kinds), kinds
