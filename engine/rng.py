"""A per-sandbox random source whose whole state is one integer (splitmix64).

Stored with the sandbox, so a replayed session makes the same names, IPs and choices.
"""
from __future__ import annotations

_MASK = (1 << 64) - 1
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"     # apimachinery rand: no vowels, no 0/1/3


class Rng:
    __slots__ = ("state",)

    def __init__(self, state: int):
        self.state = state & _MASK

    def next64(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """Uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("n must be positive")
        return self.next64() % n

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * (self.next64() / 2**64)

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def suffix(self, n: int = 5) -> str:
        return "".join(NAME_ALPHABET[self.below(len(NAME_ALPHABET))] for _ in range(n))

    def hex(self, n: int) -> str:
        out = ""
        while len(out) < n:
            out += f"{self.next64():016x}"
        return out[:n]

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) % 4]}{h[17:20]}-{h[20:32]}"
