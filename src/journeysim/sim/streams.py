"""Named random streams keyed by (seed, replication, person, purpose).

Every random decision in the model draws from its own stream, found by name,
never by position: adding a new kind of draw for one purpose does not shift
any other. Two scenarios run with the same seed therefore give each person the
same luck wherever their journeys coincide (common random numbers).

A stream is a SplitMix64 sequence (Steele, Lea and Flood, 2014) started from a
scramble of its key (the purpose's name enters through a cached BLAKE2b hash).
It is tiny, quick to create and to draw from in pure Python, and carries no
global state, so runs can go in parallel.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from functools import cache

import numpy as np

_MASK = (1 << 64) - 1
_GAMMA = 0x9E3779B97F4A7C15
_TO_UNIT = 2.0**-53
#: Uniforms an :class:`Ahead` stream works out at a time once its first ones are spent.
BLOCK = 128
_STEPS = np.arange(1, BLOCK + 1, dtype=np.uint64) * np.uint64(_GAMMA)  # k x gamma, mod 2^64


@cache
def purpose_key(purpose: str) -> int:
    """A 64-bit constant for a purpose name (BLAKE2b, so stable across processes)."""
    return int.from_bytes(hashlib.blake2b(purpose.encode(), digest_size=8).digest(), "little")


def mix(z: int) -> int:
    """The SplitMix64 finaliser: a bijective scramble of a 64-bit integer."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def stream_key(seed: int, replication: int, person: int, purpose: str) -> int:
    """The 64-bit starting state of the stream named by its four parts.

    Each part is folded in through the SplitMix64 finaliser, so neighbouring
    seeds, replications and people start far apart; the purpose enters as a
    hash of its name, so streams are found by name, never by position.
    """
    return person_key(run_key(seed, replication), person, purpose)


def run_key(seed: int, replication: int) -> int:
    """The part of every stream's key that a run's streams share (its seed and replication)."""
    return mix((seed * _GAMMA + replication) & _MASK)


def person_key(run: int, person: int, purpose: str) -> int:
    """A stream's starting state from its run's key (:func:`run_key`), person and purpose."""
    z = mix((run + (person & _MASK) * _GAMMA) & _MASK)
    return mix(z ^ purpose_key(purpose))


class Stream:
    """A reproducible source of uniform and derived random numbers."""

    __slots__ = ("_state",)

    def __init__(self, seed: int, replication: int, person: int, purpose: str) -> None:
        self._state = stream_key(seed, replication, person, purpose)

    @classmethod
    def keyed(cls, run: int, person: int, purpose: str) -> Stream:
        """The stream of ``person`` and ``purpose`` in the run whose key is ``run``.

        The same stream as ``Stream(seed, replication, person, purpose)`` when
        ``run`` is :func:`run_key` of that seed and replication, without folding
        them in again: a run makes one or more streams for each person.
        """
        stream = cls.__new__(cls)
        stream._state = person_key(run, person, purpose)
        return stream

    def random(self) -> float:
        """A uniform number in [0, 1)."""
        self._state = z = (self._state + _GAMMA) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return ((z ^ (z >> 31)) >> 11) * _TO_UNIT

    def exponential(self, rate: float) -> float:
        """A waiting time for an event of constant ``rate``; infinite when the rate is 0."""
        if rate <= 0.0:
            return math.inf
        self._state = z = (self._state + _GAMMA) & _MASK  # random(), inlined: a hot path
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return -math.log(1.0 - ((z ^ (z >> 31)) >> 11) * _TO_UNIT) / rate

    def bernoulli(self, probability: float) -> bool:
        """True with the given probability."""
        self._state = z = (self._state + _GAMMA) & _MASK  # random(), inlined: a hot path
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return ((z ^ (z >> 31)) >> 11) * _TO_UNIT < probability

    def triangular(self, low: float, mode: float, high: float) -> float:
        """A draw from the triangular distribution on [low, high] peaking at ``mode``."""
        return triangular_at(self.random(), low, mode, high)

    def some_triangular(self, table: Sequence[tuple[float, float, float, float]]) -> list[float]:
        """For each ``(chance, low, mode, high)``, a triangular draw with that chance, else 0.

        One uniform for the chance and, where it is met, one for the draw: a
        person's barriers are drawn this way (from an :class:`Ahead` stream).
        """
        random = self.random
        return [triangular_at(random(), low, mode, high) if random() < chance else 0.0
                for chance, low, mode, high in table]

    def index(self, weights: list[float] | tuple[float, ...]) -> int:
        """An index drawn with probability proportional to ``weights``."""
        grand = 0.0
        for weight in weights:  # not sum(): its rounding changed in Python 3.12
            grand += weight
        target = self.random() * grand
        total = 0.0
        for i, weight in enumerate(weights):
            total += weight
            if target < total:
                return i
        return len(weights) - 1

    def lognormal(self, median: float, sigma: float) -> float:
        """A lognormal draw with this median and log-scale spread (Box-Muller, two uniforms)."""
        u, v = self.random(), self.random()
        z = math.sqrt(-2.0 * math.log(1.0 - u)) * math.cos(2.0 * math.pi * v)
        return median * math.exp(sigma * z)

    def uniform(self, low: float, high: float) -> float:
        """A uniform draw on [low, high)."""
        return low + (high - low) * self.random()


def triangular_at(u: float, low: float, mode: float, high: float) -> float:
    """The triangular draw on [low, high] peaking at ``mode`` that the uniform ``u`` gives."""
    span = high - low
    if span <= 0.0:
        return low
    if u < (mode - low) / span:
        return low + math.sqrt(u * span * (mode - low))
    return high - math.sqrt((1.0 - u) * span * (high - mode))


def _finalise(z: np.ndarray) -> np.ndarray:
    """:func:`mix` on every element (numpy's unsigned 64-bit arithmetic wraps as the mask does)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def person_keys(run: int, first: int, count: int, purpose: str) -> list[int]:
    """:func:`person_key` of people ``first`` to ``first + count - 1`` (not negative), at once."""
    people = np.arange(first, first + count, dtype=np.uint64)
    z = _finalise(np.uint64(run) + people * np.uint64(_GAMMA))
    return _finalise(z ^ np.uint64(purpose_key(purpose))).tolist()


def uniforms(states: list[int], count: int) -> list[list[float]]:
    """The first ``count`` (at most :data:`BLOCK`) uniforms of the stream at each state."""
    z = np.array(states, dtype=np.uint64)[:, None] + _STEPS[:count]
    return ((_finalise(z) >> np.uint64(11)).astype(np.float64) * _TO_UNIT).tolist()


class Ahead(Stream):
    """A stream whose uniforms are worked out ahead with numpy, a block at a time.

    The same draws in the same order as the :class:`Stream` with the same key:
    the k-th uniform of a SplitMix64 stream is the finaliser of its starting
    state plus k times the constant, so a block of them is a few vector
    operations. Where a stream gives many draws (a person's traits at setup:
    a claimant of the stock is drawn five times over on average) that costs a
    fraction of drawing them one at a time in Python.
    """

    __slots__ = ("_drawn", "_at")

    def __init__(self, state: int, drawn: list[float] | None = None) -> None:
        self._state = state  # the state before the first uniform of ``_drawn``
        self._drawn = drawn if drawn is not None else uniforms([state], BLOCK)[0]
        self._at = 0

    def random(self) -> float:
        """A uniform number in [0, 1)."""
        drawn, at = self._drawn, self._at
        if at == len(drawn):
            self._state = (self._state + at * _GAMMA) & _MASK
            self._drawn = drawn = uniforms([self._state], BLOCK)[0]
            at = 0
        self._at = at + 1
        return drawn[at]

    def exponential(self, rate: float) -> float:
        """A waiting time for an event of constant ``rate``; infinite when the rate is 0."""
        if rate <= 0.0:
            return math.inf
        return -math.log(1.0 - self.random()) / rate

    def bernoulli(self, probability: float) -> bool:
        """True with the given probability."""
        return self.random() < probability
