"""One shape for every state machine: a pure table (state, action) -> next state, asked the same way by
pledges, signups, levies, charges and grant applications."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from pledgebank.errors import Conflict


class InvalidTransition(Conflict):
    """The action does not apply in the current state."""

    code = "invalid_transition"


def words(member: StrEnum) -> str:
    """A state or an action as people read it: 'card_saved' -> 'card saved'."""
    return member.value.replace("_", " ")


S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)


class Transitions(Generic[S, A]):
    """A state machine's table, its one question (`allows`) and its one step (`next`)."""

    def __init__(
        self, table: Mapping[tuple[S, A], S], *, thing: str, describe: Callable[[S], str] = words
    ) -> None:
        self.table = dict(table)
        self.thing = thing  # 'a pledge', 'an application': the subject of the refusal
        self.describe = describe

    def allows(self, current: S, action: A) -> bool:
        """Whether the action applies (where events may arrive late or twice, and to show a page's tools)."""
        return (current, action) in self.table

    def next(self, current: S, action: A) -> S:
        """The state after the action; raise InvalidTransition, in words, if it does not apply."""
        try:
            return self.table[(current, action)]
        except KeyError:
            subject = self.thing[0].upper() + self.thing[1:]
            raise InvalidTransition(
                f"{subject} that is {self.describe(current)} cannot {words(action)}."
            ) from None
