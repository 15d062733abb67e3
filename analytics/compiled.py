"""numba compilation for the package's compiled loops, cached on disk where it can be.

Every compiled function is declared with explicit signatures, so it is compiled (or loaded
from numba's cache) when its module is imported, never in the middle of a run. The cache
lives in the package's ``__pycache__``, else in the user's cache folder, else in
``NUMBA_CACHE_DIR``. Where none of them can be written (a read-only install run by an account
without a home folder), numba refuses to cache, and the package would not even import: then
the functions are compiled without a cache, in every process (about 8 s), with one warning
saying how to avoid it.
"""

from __future__ import annotations

import warnings

from numba import njit, types

_warned = False


def read_only(dtype):
    """A 1-d input array of ``dtype``, any layout, writable or not (Arrow's buffers are not)."""
    return types.Array(dtype, 1, "A", readonly=True)


def compiled(signatures):
    """``numba.njit(signatures, nogil=True, cache=True)``, without the cache where numba has
    nowhere to write it. ``nogil``: the package's threads run these loops side by side."""
    def decorate(function):
        global _warned
        try:
            return njit(signatures, nogil=True, cache=True)(function)
        except RuntimeError as error:
            if "cannot cache" not in str(error):
                raise
        if not _warned:
            _warned = True
            warnings.warn("numba cannot cache the package's compiled code here (no writable "
                          "__pycache__ or user cache folder): it is compiled again in every "
                          "run, about 8 s; set NUMBA_CACHE_DIR to a writable folder",
                          RuntimeWarning, stacklevel=2)
        return njit(signatures, nogil=True)(function)
    return decorate
