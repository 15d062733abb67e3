"""The three descriptions of the environment agree: pyproject.toml, environment.yml and
requirements.lock."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pins(lines):
    pins = {}
    for line in lines:
        match = re.match(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-\[\]]+)==([^\s#]+)", line)
        if match:
            pins[match[1].lower()] = match[2]
    return pins


def _pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [pin for group in project["optional-dependencies"].values()
                                        for pin in group]
    return _pins(wanted)


def test_environment_yml_pins_exactly_the_pyproject_dependencies():
    conda = _pins((ROOT / "environment.yml").read_text().splitlines())
    assert conda == _pyproject_pins()


def test_lock_file_agrees_with_every_direct_pin():
    lock = _pins((ROOT / "requirements.lock").read_text().splitlines())
    direct = _pyproject_pins()
    disagree = {name: (version, lock.get(name)) for name, version in direct.items()
                if lock.get(name) != version}
    assert not disagree, f"pyproject pin vs lock: {disagree}"


def test_environment_yml_targets_the_supported_python():
    text = (ROOT / "environment.yml").read_text()
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert "python=3.11" in text and requires == ">=3.11"
