"""notebooks/registry.toml agrees with the notebooks it lists."""

import papermill
import pytest

from analytics.paths import registry_path
from analytics.publish.registry import PARAMETERS, load_registry

REG = load_registry()


@pytest.mark.parametrize("name", sorted(REG["notebooks"]))
def test_registered_notebook_declares_exactly_the_report_parameters(name):
    path = registry_path().parent / REG["notebooks"][name]["file"]
    assert path.exists(), f"{path} is listed but missing"
    assert tuple(papermill.inspect_notebook(str(path))) == PARAMETERS


@pytest.mark.parametrize("name", sorted(REG["notebooks"]))
def test_registered_notebook_has_a_title_in_both_languages(name):
    assert set(REG["notebooks"][name]["title"]) == {"en", "pt-BR"}


@pytest.mark.parametrize("entry", REG["defaults"], ids=lambda e: e["source"])
def test_default_reports_only_set_known_parameters(entry):
    assert set(entry) <= set(PARAMETERS)
    assert {"source", "period", "tz"} <= set(entry)
