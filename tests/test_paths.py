"""Where things are (analytics/paths.py): the suite is the nearest folder holding
notebooks/registry.toml, from the working directory up; the package's own files ship inside it."""

from __future__ import annotations

import pytest
from helpers import ROOT

from analytics import paths


def _suite(folder):
    (folder / "notebooks").mkdir(parents=True)
    (folder / "notebooks" / "registry.toml").write_text("")
    return folder


def test_the_nearest_suite_from_the_start_folder_up(tmp_path):
    outer = _suite(tmp_path / "outer")
    inner = _suite(outer / "projects" / "inner")
    (inner / "data" / "demo").mkdir(parents=True)
    assert paths.suite_root(inner / "data" / "demo") == inner.resolve()
    assert paths.suite_root(outer / "projects") == outer.resolve()


def test_the_working_directory_is_the_default_start(tmp_path, monkeypatch):
    suite = _suite(tmp_path / "suite")
    monkeypatch.chdir(suite / "notebooks")
    assert paths.registry_path() == suite.resolve() / "notebooks" / "registry.toml"
    assert paths.data_dir() == suite.resolve() / "data"


def test_a_checkout_falls_back_to_its_own_suite(tmp_path):
    assert paths.suite_root(tmp_path) == ROOT  # tmp_path holds no suite


def test_no_suite_anywhere_names_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "_CHECKOUT", tmp_path / "installed")
    with pytest.raises(paths.InputError, match="no report suite found here or above; "
                                               "expected a folder holding notebooks/registry"):
        paths.suite_root(tmp_path)


def test_package_files_are_inside_the_package():
    definitions = paths.package_file("resources", "metrics.md")
    assert definitions.is_file() and definitions.read_text(encoding="utf-8").startswith("#")
    assert str(definitions).startswith(str(ROOT / "analytics"))
