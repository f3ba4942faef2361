"""Where opsprep keeps its data: the instance folder (progress database, secret key, settings).

Both front ends use the same folder, so the terminal and the browser share one progress store:

1. ``$OPSPREP_INSTANCE``, when set;
2. ``instance/`` beside ``pyproject.toml`` when running from a source checkout;
3. otherwise the user's data directory (``platformdirs``: ``~/.local/share/opsprep`` on Linux), which
   survives rebuilding or deleting the virtualenv the package is installed in.

Earlier versions kept an installed package's data in ``<sys.prefix>/var/opsprep-instance``, inside the
virtualenv. :func:`resolve_instance` finds data left there and moves it to the new folder (never over
files that are already there), and says so.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from opsprep.errors import ErrorKind, OpsprepError

DATABASE_NAME = "progress.db"
#: files of an instance folder, moved together (SQLite's -wal and -shm files belong to the database)
INSTANCE_FILES = ("progress.db", "progress.db-wal", "progress.db-shm", "secret_key", "config.py")
_CHECKOUT = Path(__file__).resolve().parent.parent


class InstanceUnwritable(OpsprepError):
    """The instance folder (secret key, progress database) cannot be made or written."""

    kind = ErrorKind.UNAVAILABLE

    def __init__(self, folder: Path, error: OSError) -> None:
        super().__init__(
            f"Cannot write opsprep's instance folder {folder} ({error.strerror or error}). Make it writable, "
            "or set OPSPREP_INSTANCE to a folder that is."
        )


@dataclass(frozen=True)
class Instance:
    """The instance folder in use, and what :func:`resolve_instance` had to do to find it."""

    path: Path
    source: str  # "environment", "checkout" or "user data"
    moved_from: Path | None = None  # the old folder whose files were moved here
    left_behind: Path | None = None  # an old folder with data that could not be moved (both had a database)

    @property
    def database(self) -> Path:
        """The default progress database, ``progress.db`` in the folder."""
        return self.path / DATABASE_NAME

    @property
    def secret_key(self) -> Path:
        """The web app's session secret, made on first run."""
        return self.path / "secret_key"

    @property
    def config_file(self) -> Path:
        """The web app's optional settings file."""
        return self.path / "config.py"

    def notices(self) -> list[str]:
        """Sentences a front end shows once, when data was moved or left behind."""
        out = []
        if self.moved_from is not None:
            out.append(f"Moved opsprep's data from {self.moved_from} to {self.path}; nothing was lost.")
        if self.left_behind is not None:
            out.append(
                f"Older opsprep data is still in {self.left_behind}: {self.path} already has a progress database, "
                "so it was not moved. Move or delete the old folder yourself."
            )
        return out


def legacy_instance_path(prefix: str | os.PathLike = sys.prefix) -> Path:
    """Where earlier versions kept an installed package's data: inside the virtualenv."""
    return Path(prefix) / "var" / "opsprep-instance"


def default_instance_path(environ: dict[str, str] | None = None) -> tuple[Path, str]:
    """The instance folder and why it was chosen, without touching the file system."""
    environ = os.environ if environ is None else environ
    if environ.get("OPSPREP_INSTANCE"):
        return Path(environ["OPSPREP_INSTANCE"]).expanduser().resolve(), "environment"
    if (_CHECKOUT / "pyproject.toml").is_file():
        return _CHECKOUT / "instance", "checkout"
    return Path(platformdirs.user_data_dir("opsprep", appauthor=False)), "user data"


def resolve_instance(
    environ: dict[str, str] | None = None, *, legacy: Path | None = None, create: bool = True
) -> Instance:
    """The instance folder (made when ``create``), with data from the old in-virtualenv default moved in."""
    path, source = default_instance_path(environ)
    moved_from = left_behind = None
    old = legacy_instance_path() if legacy is None else legacy
    if source == "user data" and old.resolve() != path.resolve() and _has_data(old):
        if (path / DATABASE_NAME).exists():
            left_behind = old
        else:
            try:
                _move_files(old, path)
                moved_from = old
            except OSError:  # what could be moved is moved; the rest stays where it was, and the notice says so
                left_behind = old
    if create:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InstanceUnwritable(path, exc) from None
    return Instance(path, source, moved_from, left_behind)


def _has_data(folder: Path) -> bool:
    return any((folder / name).exists() for name in INSTANCE_FILES)


def _move_files(old: Path, new: Path) -> None:
    """Move the instance files from ``old`` to ``new``, never replacing a file that is already there."""
    new.mkdir(parents=True, exist_ok=True)
    for name in INSTANCE_FILES:
        source, target = old / name, new / name
        if source.exists() and not target.exists():
            shutil.move(str(source), str(target))
