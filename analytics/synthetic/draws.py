"""Vectorised random draws and character-column helpers the generator shares.

Every function draws from (or formats for) whole arrays at once, one value per row, so the
generator has no per-conversation Python loop.
"""

from __future__ import annotations

import numpy as np

from analytics.synthetic.parameters import STR


def lognormal(rng, median, sigma, size):
    """Lognormal draws (seconds or minutes, like ``median``), one per row."""
    return np.exp(np.log(median) + sigma * rng.standard_normal(size))


def categorical(rng, probs: np.ndarray) -> np.ndarray:
    """One draw per row of ``probs`` (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    cum = cum / cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def digits(rng, n, k) -> np.ndarray:
    """``n`` rows of ``k`` random decimal digits."""
    return rng.integers(0, 10, size=(n, k))


def join(columns: list[np.ndarray]) -> np.ndarray:
    """Concatenate columns of single characters ('<U1', shape (n, k)) into strings."""
    chars = np.ascontiguousarray(np.concatenate(columns, axis=1).astype("<U1"))
    return chars.view(f"<U{chars.shape[1]}").ravel().astype(STR)


def digit_chars(values: np.ndarray) -> np.ndarray:
    """Digits 0-9 -> their characters ('<U1'), same shape."""
    return np.array(list("0123456789"))[values]


def const(n, char) -> np.ndarray:
    """A column of ``n`` copies of ``char``, to :func:`join` between digit columns."""
    return np.full((n, 1), char)
