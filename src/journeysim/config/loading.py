"""Reading scenarios: bundled names and paths, ``extends:`` chains, readable errors.

A scenario file must be a regular file of at most ``MAX_FILE_BYTES`` of UTF-8
YAML that expands to at most ``MAX_VALUES`` values (so a file of nested aliases,
a "billion laughs", is refused at once), with an ``extends:`` chain at most
``MAX_EXTENDS`` long. Anything else is a :class:`ConfigError` naming the file.
"""

from __future__ import annotations

import stat
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from journeysim.config.schema import Scenario

#: The bundled scenarios: the repository's top-level configs/, which the package links
#: to and a wheel carries as package data (an installed package is a folder on disk).
CONFIG_DIR = Path(str(resources.files("journeysim").joinpath("configs")))
#: The largest scenario or experiment file read (bytes).
MAX_FILE_BYTES = 1 << 20
#: The most values (mappings, lists and scalars, aliases expanded) a file may hold.
MAX_VALUES = 100_000
#: The longest ``extends:`` chain.
MAX_EXTENDS = 20


class ConfigError(Exception):
    """A scenario file that cannot be used; the message says where and why."""


def bundled_scenarios() -> dict[str, Path]:
    """The scenarios shipped in ``configs/``, by name."""
    return {p.stem: p for p in sorted(CONFIG_DIR.glob("*.yaml"))}


def resolve_path(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A bundled scenario name, or a path (relative to ``relative_to`` when given)."""
    text = str(name_or_path)
    bundled = bundled_scenarios()
    if text in bundled:
        return bundled[text]
    path = Path(text)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    if path.suffix == "" and path.with_suffix(".yaml").exists():
        path = path.with_suffix(".yaml")
    if not path.exists():
        names = ", ".join(bundled) or "none"
        raise ConfigError(f"{text}: no such scenario file or bundled scenario (bundled: {names})")
    return path


def _too_many_values(data: Any, limit: int) -> bool:
    """True when ``data`` holds more than ``limit`` values, aliases counted each time."""
    stack, seen = [data], 0
    while stack:
        node = stack.pop()
        seen += 1
        if seen > limit:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def regular_bytes(path: Path, limit: int, give: str) -> bytes:
    """The file's bytes: refused unless it is a regular file of at most ``limit`` bytes.

    ``give`` says what to give instead of a pipe, device or folder (``a YAML
    file``). A file that grows past the limit while it is read is refused too.
    """
    too_big = f"a file of at most {limit:,} bytes is read"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path}: not a regular file (a folder, pipe or device); give "
                              f"{give}")
        if info.st_size > limit:
            raise ConfigError(f"{path}: {info.st_size:,} bytes; {too_big}")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise ConfigError(f"{path}: cannot read it: {err.strerror}") from None
    if len(data) > limit:  # it grew after it was looked at
        raise ConfigError(f"{path}: more than {limit:,} bytes; {too_big}")
    return data


def _text(path: Path) -> str:
    """The file's text: a regular file, not too big, UTF-8."""
    data = regular_bytes(path, MAX_FILE_BYTES, "a YAML file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: not UTF-8 text (byte {err.object[err.start]:#04x} at "
                          f"position {err.start}); save it as UTF-8") from None


#: YAML's safe loader, in C where PyYAML was built with libyaml (ten times faster).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """Read a YAML file within the limits above; one :class:`ConfigError` line if not."""
    try:
        data = yaml.load(_text(path), Loader=LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as err:
        raise ConfigError(f"{path}: not valid YAML: {' '.join(str(err).split())}") from None
    except RecursionError:
        raise ConfigError(f"{path}: nested too deeply to be a scenario") from None
    if _too_many_values(data, MAX_VALUES):
        raise ConfigError(f"{path}: expands to more than {MAX_VALUES:,} values (aliases "
                          "repeated?); a scenario needs a few hundred")
    return data


def _read_mapping(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of fields, not a list or value")
    return data


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``override`` applied: mappings merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def override(path: str, value: Any) -> dict[str, Any]:
    """A nested mapping that sets one dotted path: ``{"a": {"b": 1}}`` from ``a.b``."""
    out: dict[str, Any] = {}
    node = out
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
    return out


def at_path(raw: dict[str, Any], path: str) -> Any:
    """The value at a dotted path of a scenario mapping (``override``'s reverse), or None."""
    node: Any = raw
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def load_raw(name_or_path: str | Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The scenario as one mapping, with its ``extends:`` chain applied."""
    path = resolve_path(name_or_path).resolve()
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ConfigError(f"{path}: 'extends' goes round in a circle: {cycle}")
    if len(_chain) >= MAX_EXTENDS:
        raise ConfigError(f"{path}: 'extends' chain longer than {MAX_EXTENDS} files")
    data = _read_mapping(path)
    parent = data.pop("extends", None)
    data.setdefault("name", path.stem)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ConfigError(f"{path}: field 'extends' = {parent!r}: must be a scenario name or path")
    try:
        parent_path = resolve_path(parent, relative_to=path.parent)
    except ConfigError as err:
        raise ConfigError(f"{path}: field 'extends': {err}") from None
    base = load_raw(parent_path, (*_chain, path))
    base.pop("description", None)
    _whole_shares(path, parent, base, data)
    return deep_merge(base, data)


#: Shares that add up to 1: a file gives all of them or none (the rest would be inherited).
WHOLE = ("population.stock_mix", "population.jsa_age_bands")


def _whole_shares(path: Path, parent: str, base: dict[str, Any], data: dict[str, Any]) -> None:
    """Refuse a file that gives some of a set of shares and would inherit the others."""
    for dotted in WHOLE:
        given, inherited = at_path(data, dotted), at_path(base, dotted)
        if not isinstance(given, dict) or not isinstance(inherited, dict):
            continue
        missing = [key for key in inherited if key not in given]
        if missing:
            kept = ", ".join(f"{key} {inherited[key]}" for key in missing)
            raise ConfigError(
                f"{path}: field '{dotted}' gives {', '.join(given)} but not "
                f"{', '.join(missing)}: shares are overridden as a whole, and {parent}'s "
                f"{kept} would be kept; give every share")


def _describe(error: dict[str, Any]) -> str:
    field = ".".join(str(part) for part in error["loc"]) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"field '{field}' is not a known field (check its spelling and indentation)"
    if kind == "missing":
        return f"field '{field}' is missing"
    message = error["msg"].removeprefix("Value error, ")
    shown = repr(error.get("input"))
    if len(shown) > 80:
        return f"field '{field}': {message}"
    return f"field '{field}' = {shown}: {message}"


def validate(data: dict[str, Any], source: str) -> Scenario:
    """Validate a mapping into a :class:`Scenario`; one readable message on failure."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        problems = [_describe(e) for e in err.errors()]
        more = f" (and {len(problems) - 1} more: {'; '.join(problems[1:4])})" if len(
            problems) > 1 else ""
        raise ConfigError(f"{source}: {problems[0]}{more}") from None


def load(name_or_path: str | Path) -> Scenario:
    """Load, merge and validate a scenario by bundled name or path."""
    path = resolve_path(name_or_path)
    return validate(load_raw(path), str(path))
