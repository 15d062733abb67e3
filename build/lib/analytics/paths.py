"""Where things are: the suite a user edits (``notebooks/`` with its registry, ``data/``) and
the files that ship inside the package (definitions page, lexicons, templates).

The suite is found from the working directory, so an installed package renders the suite of
the folder it is run in; a source checkout falls back to its own suite.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from analytics.errors import InputError

_CHECKOUT = Path(__file__).resolve().parent.parent
REGISTRY_NAME = Path("notebooks") / "registry.toml"


def suite_root(start: Path | None = None) -> Path:
    """The nearest folder, from ``start`` (default: the working directory) up, that holds
    ``notebooks/registry.toml``; else the source checkout this package was loaded from."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / REGISTRY_NAME).is_file():
            return folder
    if (_CHECKOUT / REGISTRY_NAME).is_file():
        return _CHECKOUT
    raise InputError(str(here), "no report suite found here or above",
                     expected="a folder holding notebooks/registry.toml (run from the suite "
                              "folder, or give --registry)")


def registry_path() -> Path:
    """``notebooks/registry.toml`` of the suite."""
    return suite_root() / REGISTRY_NAME


def data_dir() -> Path:
    """``data/`` of the suite: the bundled samples."""
    return suite_root() / "data"


def package_file(*parts: str) -> Traversable:
    """A file shipped inside the package, e.g. ``package_file("resources", "metrics.md")``."""
    return resources.files("analytics").joinpath(*parts)
