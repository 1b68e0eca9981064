"""The join gate's policy."""

from __future__ import annotations

import pytest

from bot.rules.policy import JoinAction, Joiner, on_join

NEWCOMER = Joiner(is_bot=False, is_admin=False, agreed_current=False)


@pytest.mark.parametrize(
    ("joiner", "gate_on", "can_restrict", "expected"),
    [
        (NEWCOMER, True, True, JoinAction.GATE),
        (NEWCOMER, True, False, JoinAction.ASK),
        (NEWCOMER, False, True, JoinAction.GREET),
        (Joiner(False, False, True), True, True, JoinAction.NOTHING),
        (Joiner(True, False, False), True, True, JoinAction.NOTHING),
        (Joiner(False, True, False), True, True, JoinAction.NOTHING),
        (Joiner(False, False, False, agreed_earlier=True), True, True, JoinAction.REASK),
        (Joiner(False, False, True, agreed_earlier=True), True, True, JoinAction.NOTHING),
    ],
)
def test_on_join(joiner: Joiner, gate_on: bool, can_restrict: bool, expected: JoinAction) -> None:
    assert on_join(joiner, gate_on=gate_on, can_restrict=can_restrict) is expected
