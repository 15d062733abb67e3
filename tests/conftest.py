"""Every test keeps the pseudonym key of a render in a temporary folder, never in the
user's ``~/.config``."""

import pytest


@pytest.fixture(autouse=True)
def _private_config_home(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "config"))
