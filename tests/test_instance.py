"""Where data lives: the instance folder's choice, and data under the old default moved, never lost."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from opsprep.engine import Progress, instance
from opsprep.engine.instance import Instance, default_instance_path, resolve_instance
from opsprep.engine.synthetic import synthetic_bank

from .test_packaging import wheel  # noqa: F401 - the built wheel, shared with the packaging tests


@pytest.fixture
def installed(monkeypatch, tmp_path):
    """Resolve as an installed package would: no checkout beside the code, a private user data dir."""
    monkeypatch.setattr(instance, "_CHECKOUT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("OPSPREP_INSTANCE", raising=False)
    return tmp_path


def _write_progress(folder, name="ada"):
    folder.mkdir(parents=True, exist_ok=True)
    with Progress.open(folder / "progress.db", synthetic_bank(items=3)) as progress:
        progress.create_learner(name)
    (folder / "secret_key").write_text("old secret")


def test_the_environment_wins(tmp_path):
    path, source = default_instance_path({"OPSPREP_INSTANCE": str(tmp_path / "here")})
    assert (path, source) == ((tmp_path / "here").resolve(), "environment")


def test_a_checkout_keeps_instance_beside_pyproject(monkeypatch):
    monkeypatch.delenv("OPSPREP_INSTANCE", raising=False)
    path, source = default_instance_path({})
    assert source == "checkout" and path.name == "instance" and (path.parent / "pyproject.toml").is_file()


def test_an_installed_package_uses_the_user_data_dir(installed):
    found = resolve_instance({}, legacy=installed / "venv" / "var" / "opsprep-instance")
    assert found == Instance(installed / "data" / "opsprep", "user data")
    assert found.path.is_dir() and found.database == found.path / "progress.db"
    assert found.notices() == []


def test_data_under_the_old_default_is_moved_with_a_notice(installed):
    old = installed / "venv" / "var" / "opsprep-instance"
    _write_progress(old)
    found = resolve_instance({}, legacy=old)
    assert found.moved_from == old and found.left_behind is None
    assert not (old / "progress.db").exists() and (found.path / "secret_key").read_text() == "old secret"
    with Progress.open(found.database) as progress:
        assert [learner.name for learner in progress.learners()] == ["ada"]
    [notice] = found.notices()
    assert str(old) in notice and str(found.path) in notice and "nothing was lost" in notice
    assert resolve_instance({}, legacy=old).notices() == []  # moved once


def test_data_in_both_places_is_never_overwritten(installed):
    old = installed / "venv" / "var" / "opsprep-instance"
    _write_progress(old, "ada")
    _write_progress(installed / "data" / "opsprep", "bob")
    found = resolve_instance({}, legacy=old)
    assert found.moved_from is None and found.left_behind == old
    assert (old / "progress.db").exists()
    with Progress.open(found.database) as progress:
        assert [learner.name for learner in progress.learners()] == ["bob"]
    [notice] = found.notices()
    assert str(old) in notice and "not moved" in notice


def test_an_installed_wheel_keeps_data_outside_its_environment(wheel, tmp_path):  # noqa: F811
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "opsprep", "info", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "", "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["instance"]["path"] == str(tmp_path / "data" / "opsprep")
    assert info["instance"]["source"] == "user data"
    assert info["database"]["path"] == str(tmp_path / "data" / "opsprep" / "progress.db")
