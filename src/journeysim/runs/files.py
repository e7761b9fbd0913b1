"""Writing result folders safely: atomic files, a completion seal, containment and a lock.

Every file journeysim writes goes through :func:`write_atomic`: into a uniquely
named temporary file beside its final name, flushed to disk, then renamed over
the final name, so a reader sees the old file or the new one, never half of
one. The file gets the permissions the user's umask allows (as ``open`` would
give it), and only a regular file is ever replaced: a device, a pipe, a folder
or a link at the final name is refused. A folder of results is *sealed* by
``complete.json``, written last: it names the folder's kind (``run``,
``compare``, ``sweep``) and the size and SHA-256 of every file that belongs to
the result. Changing a folder starts by removing the seal, so a folder killed or
filled up mid-write is never taken as complete, and a file swapped under a seal
is caught by its hash; a seal that lists no file seals nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

#: The seal of a complete result folder, written after everything else.
SEAL = "complete.json"

Content = str | bytes | Callable[[Path], Any]


class FolderError(Exception):
    """A result folder that cannot be used as asked; the message says why."""


def inside(directory: Path, name: str | Path) -> Path:
    """``directory / name``, refused unless it resolves to a place inside ``directory``."""
    root = directory.resolve()
    path = (root / name).resolve()
    if path == root or root not in path.parents:
        raise FolderError(f"{name}: would be written outside {directory}; refused")
    return path


def _what(mode: int) -> str:
    """What a file of ``mode`` is, in words."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"),
             (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _a_file_or_nothing(path: Path) -> bool:
    """Whether a regular file is at ``path`` (False: nothing is); refused if anything else.

    A link is not followed: a link, a device, a pipe, a socket or a folder is refused.
    """
    try:
        found = path.lstat()
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(found.st_mode):
        raise FolderError(f"{path} is {_what(found.st_mode)}, not a file: journeysim never "
                          "writes over it; choose another name")
    return True


def replaceable(path: Path, mark: str | None = None, force: bool = False) -> None:
    """Refuse to write ``path`` over anything but a regular file that may be replaced.

    A device, pipe, socket, folder or link at ``path`` is refused even with
    ``force``. A regular file is replaced when it carries ``mark`` (text a file of
    this kind holds in its first 8 KiB: it is this command's own kind of result)
    or when ``force`` is given; otherwise it is refused.
    """
    if not _a_file_or_nothing(path) or force or (mark is not None and _carries(path, mark)):
        return
    whose = " and was not written by this command" if mark is not None else ""
    raise FolderError(f"{path} exists{whose}: choose another name, or give --force to "
                      "write over it")


def _carries(path: Path, mark: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return mark.encode("utf-8") in handle.read(8192)
    except OSError:
        return False


def _umask() -> int:
    """The process's umask, read without changing it (Linux), else by setting it back."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomic(path: Path, content: Content) -> Path:
    """Write ``content`` to ``path`` through a unique temporary file, fsync and rename.

    Args:
        path: The final file name; its folder must exist.
        content: Text (UTF-8), bytes, or a function that writes a file at the path
            it is given (``DataFrame.to_parquet``, ``Figure.savefig``...).

    Returns:
        ``path``.

    Raises:
        FolderError: something other than a regular file is at ``path``.
    """
    _a_file_or_nothing(path)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                        suffix=".partial")
    temporary = Path(name)
    try:
        os.fchmod(descriptor, 0o666 & ~_umask())
        with os.fdopen(descriptor, "wb") as handle:
            if isinstance(content, str | bytes):
                handle.write(content.encode("utf-8") if isinstance(content, str) else content)
        if callable(content):
            content(temporary)
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return path


def write_json(path: Path, body: Any) -> Path:
    """Write ``body`` as indented JSON (no NaN or Infinity: they are not JSON)."""
    return write_atomic(path, json.dumps(body, indent=2, allow_nan=False) + "\n")


def digest(path: Path) -> str:
    """The SHA-256 of the file at ``path``, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unseal(directory: Path) -> None:
    """Mark ``directory`` incomplete (remove its seal) before anything in it changes."""
    seal = directory / SEAL
    if seal.exists():
        seal.unlink()
        _fsync_directory(directory)


def sealed(directory: Path) -> dict[str, str] | None:
    """The SHA-256 of each file ``directory``'s seal lists, by name; None when unsealed.

    A damaged seal, or one listing no file, counts as no seal.
    """
    try:
        listed = json.loads((directory / SEAL).read_text(encoding="utf-8"))["files"]
        hashes = {str(name): str(entry["sha256"]) for name, entry in listed.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return hashes or None


def seal(directory: Path, kind: str, names: list[str]) -> Path:
    """Seal ``directory`` as a complete result of ``kind`` made of the files ``names``."""
    body = {"kind": kind, "files": {name: {"bytes": (directory / name).stat().st_size,
                                           "sha256": digest(directory / name)}
                                    for name in sorted(names)}}
    return write_json(directory / SEAL, body)


def kind_of(directory: Path) -> str | None:
    """What ``directory`` holds: a sealed kind, an unsealed experiment's or run's, or None.

    An experiment's store counts as the kind its ``manifest.json`` names
    (``compare`` if it names none) and a run's files as ``run`` even unsealed,
    so one kind of result is never written over another half-made one, and an
    interrupted one is resumed.
    """
    try:
        return str(json.loads((directory / SEAL).read_text(encoding="utf-8"))["kind"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    manifest = directory / "manifest.json"
    if manifest.exists():
        try:
            return str(json.loads(manifest.read_text(encoding="utf-8")).get("kind", "compare"))
        except (OSError, ValueError, AttributeError):
            return "compare"  # damaged, but an experiment's: never written over by another kind
    if (directory / "events.parquet").exists() or (directory / "summary.json").exists():
        return "run"
    return None


def require_kind(directory: Path, kind: str, force: bool = False) -> None:
    """Refuse to write a ``kind`` result into a folder holding another kind (unless ``force``)."""
    found = kind_of(directory)
    if found is not None and found != kind and not force:
        raise FolderError(f"{directory} holds a {found} result, not a {kind}: choose another "
                          "--out, or give --force to write over it")


def complete(directory: Path) -> str:
    """The kind of a sealed, intact result folder; refused if unsealed or changed since.

    Changed since: a file the seal lists is missing or differs from its size and
    SHA-256, or, in an experiment's store (its seal lists ``manifest.json``), a
    stored run (``runs/*.json``) the seal does not list was added.
    """
    try:
        body = json.loads((directory / SEAL).read_text(encoding="utf-8"))
        kind, files = str(body["kind"]), dict(body["files"])
    except FileNotFoundError:
        raise FolderError(f"{directory} is not a complete result (no {SEAL}): the command "
                          "that wrote it was interrupted or failed; run it again") from None
    except (OSError, ValueError, KeyError, TypeError):
        raise FolderError(f"{directory}/{SEAL} is damaged; run the command again") from None
    if not files or not kind:
        raise FolderError(f"{directory}/{SEAL} lists no files: it seals nothing; run the "
                          "command again")
    stored = (directory / "runs").glob("*.json") if "manifest.json" in files else ()
    added = sorted(f"runs/{p.name}" for p in stored if f"runs/{p.name}" not in files)
    if added:
        raise FolderError(f"{directory}: {added[0]} was added after the result was "
                          "written; run the command again")
    for name, expected in files.items():
        if not isinstance(expected, dict):
            raise FolderError(f"{directory}/{SEAL} is damaged; run the command again")
        path = inside(directory, name)
        if not path.is_file() or path.stat().st_size != expected.get("bytes") or digest(
                path) != expected.get("sha256"):
            raise FolderError(f"{directory}: {name} is missing or changed since the result "
                              "was written; run the command again")
    return kind


def check_writable(directory: Path) -> None:
    """Refuse now, before any work, a ``directory`` that could not be created or written.

    Tries a temporary file in the folder, or in its nearest existing parent when
    it does not exist yet (removed at once), so nothing is left behind.
    """
    probe = directory
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise FolderError(f"{directory}: {probe} is not a folder; choose another --out")
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as err:
        raise FolderError(f"{directory}: cannot write there ({err.strerror}); choose "
                          "another --out") from None


@contextlib.contextmanager
def locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` (created if need be); refuse if another has it.

    The lock is taken on the folder itself, so no lock file is left in it; a
    folder this call created is removed again if it is still empty at the end
    (the command failed or was interrupted before writing anything).
    """
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderError(f"{directory} is in use by another journeysim command; wait for "
                              "it to finish or choose another --out") from None
        yield
    finally:
        if created and not any(directory.iterdir()):
            with contextlib.suppress(OSError):
                directory.rmdir()
        os.close(descriptor)
