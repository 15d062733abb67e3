"""Every test (and every render it starts, in or out of this process) keeps the pseudonym key
of a render in a temporary folder, never in the user's ``~/.config``; the hand-made week of
conversation facts (``helpers._facts``) is a fixture for the report and metrics tests."""

import pytest
from helpers import _facts


@pytest.fixture(autouse=True, scope="session")
def _private_config_home(tmp_path_factory):
    # Session scope: set before any module fixture renders, inherited by subprocesses.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "config"))
        yield


@pytest.fixture
def facts():
    return _facts()


@pytest.fixture
def contacts(facts):
    return facts[~facts["proactive"]]
