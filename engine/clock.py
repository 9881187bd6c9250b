"""A sandbox's clock: virtual time plus a heap of timers, after SimPy's Environment.

Time jumps from due timer to due timer instead of ticking, so an idle sandbox costs nothing and
`!wait 24h` costs only the timers inside those 24 hours. Timers are frozen values ordered by
(due, seq); the sequence number makes equal instants fire in the order they were scheduled, so a
replayed session fires them identically. The clock persists as plain data with the sandbox.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator


@dataclass(frozen=True, order=True)
class Timer:
    """`event` fires at `due` with `key` (what it is about, e.g. a pod's namespace, name and uid)."""
    due: float
    seq: int
    event: str = field(compare=False)
    key: tuple = field(compare=False, default=())

    def to_data(self) -> list:
        return [self.due, self.seq, self.event, list(self.key)]

    @classmethod
    def from_data(cls, data: list) -> "Timer":
        due, seq, event, key = data
        return cls(float(due), int(seq), str(event), tuple(key))


class Clock:
    """`now`, and what is due when: `schedule`, `cancel`, `peek`, `pop`, `run_until`."""

    __slots__ = ("now", "_heap", "_seq")

    def __init__(self, now: float, timers: list[Timer] | tuple[Timer, ...] = (), seq: int = 0):
        self.now = now
        # (due, seq, timer): tuples compare in C, and seq is unique, so the Timer itself is never compared
        self._heap = [(t.due, t.seq, t) for t in timers]
        heapq.heapify(self._heap)
        self._seq = max([seq, *(t.seq for t in timers)])

    def schedule(self, delay: float, event: str, *key: Any) -> Timer:
        """Book `event` `delay` seconds from now (a negative delay means now: the past cannot be booked)."""
        self._seq += 1
        timer = Timer(self.now + max(0.0, delay), self._seq, event, key)
        heapq.heappush(self._heap, (timer.due, timer.seq, timer))
        return timer

    def cancel(self, event: str, *key: Any) -> int:
        """Drop every pending `event` about `key`; returns how many were dropped."""
        kept = [e for e in self._heap if not (e[2].event == event and e[2].key == key)]
        dropped = len(self._heap) - len(kept)
        if dropped:
            heapq.heapify(kept)
            self._heap = kept
        return dropped

    def peek(self) -> float:
        """When the next timer is due; infinity when none is pending."""
        return self._heap[0][0] if self._heap else math.inf

    def pop(self) -> Timer:
        return heapq.heappop(self._heap)[2]

    def pending(self, event: str | None = None) -> Iterator[Timer]:
        """Pending timers (of one event), in no particular order."""
        return (e[2] for e in self._heap if event is None or e[2].event == event)

    def run_until(self, until: float, fire: Callable[[Timer], None],
                  after_instant: Callable[[], None] | None = None) -> None:
        """Fire every timer due up to `until`, in (due, seq) order, then stand at `until`.

        Everything due at one instant fires before `after_instant` runs (hundreds of pods bound
        together start together: the controllers look once, not once per pod). Timers that the
        callbacks book inside the window fire in this same run."""
        while self._heap and self._heap[0][0] <= until:
            instant = self._heap[0][0]
            self.now = max(self.now, instant)
            while self._heap and self._heap[0][0] <= instant:
                fire(heapq.heappop(self._heap)[2])
            if after_instant is not None:
                after_instant()
        self.now = max(self.now, until)

    def move(self, moved: dict[Timer, Timer], booked: int = 0) -> None:
        """Replace pending timers with moved copies (the same seq), and count `booked` bookings
        made without the heap (cycles skipped analytically), so later timers are numbered as a
        replay would number them."""
        if moved:
            self._heap = [(t.due, t.seq, t) for t in (moved.get(e[2], e[2]) for e in self._heap)]
            heapq.heapify(self._heap)
        self._seq += booked

    def __len__(self) -> int:
        return len(self._heap)

    # -- persistence (plain data in the sandbox's meta) -------------------------------------------

    def to_data(self) -> dict:
        return {"seq": self._seq, "timers": [e[2].to_data() for e in sorted(self._heap)]}

    @classmethod
    def from_meta(cls, meta: dict, now: float) -> "Clock":
        """Read the clock from a sandbox's meta, migrating the first shape (`timers` as raw
        [due, seq, action, args] lists and `seq` at the top level) that older sandboxes carry."""
        if "clock" not in meta:
            meta["clock"] = {"seq": meta.pop("seq", 0), "timers": meta.pop("timers", [])}
        data = meta["clock"]
        return cls(now, [Timer.from_data(t) for t in data["timers"]], data["seq"])
