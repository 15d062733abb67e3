"""The report registry (``notebooks/registry.toml`` of the suite): notebooks, defaults, the
parameters every report notebook declares, and the check of parameters against notebooks.
"""

from __future__ import annotations

import tomllib

from analytics.errors import InputError
from analytics.paths import registry_path

#: Parameters every report notebook declares, in order.
PARAMETERS = ("source", "input_path", "events_path", "self_service_path", "source_tz", "period",
              "tz", "lang", "hours", "holidays", "sla", "repeat_window", "cohort", "as_of",
              "channels", "public_channels", "frequent_k", "cost_table", "id_key", "agents_path")


def load_registry(path=None) -> dict:
    """The report registry: ``notebooks`` (name -> file, title, owner) and ``defaults``.

    ``path`` defaults to the suite's ``notebooks/registry.toml`` (:func:`analytics.paths.suite_root`).
    """
    path = path or registry_path()
    with open(path, "rb") as handle:  # an OSError is an operational failure (exit 5)
        try:
            return tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(path, f"not a readable registry ({exc})",
                             expected="a TOML file like notebooks/registry.toml") from None


def check_parameters(paths, parameters: dict):
    """Refuse parameters a notebook does not declare (papermill would only warn)."""
    import papermill

    for path in paths:
        declared = set(papermill.inspect_notebook(str(path)))
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise InputError(path.name, "unknown report parameter(s) " + ", ".join(unknown),
                             expected=", ".join(sorted(declared)))
