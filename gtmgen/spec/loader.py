"""Read a spec file: YAML with positions, then the pydantic model, then cross-field checks.

Every problem is collected with its ``FILE:LINE:COL`` and raised together as one
``SpecError``. YAML aliases are refused (no alias bombs), duplicate keys are errors
(plain loaders silently keep the last one), and files over 1 MiB are refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gtmgen.errors import Problem, SpecError
from gtmgen.spec.messages import Loc, describe, error_message, key_path
from gtmgen.spec.model import (
    ENV_REFERENCE,
    NO_PLATFORM,
    PLATFORM_EVENTS,
    STANDARD,
    TIKTOK_EVENT,
    FieldError,
    Spec,
    missing_platform_event,
    non_standard_event,
)

MAX_SPEC_BYTES = 1024 * 1024
_SURROGATE = re.compile("[\ud800-\udfff]")
# printable ASCII without spaces or braces ({{ would be a GTM variable reference)
_TOKEN = re.compile(r"[!-z|~]+")

Positions = dict[Loc, tuple[int, int]]

# Scalars are taken strictly (docs/spec-strictness.md): only true/false are booleans and
# only plain decimal digits are integers; YAML 1.1's yes/on/0x1/1_000 stay the text written.
_BINARY = "tag:yaml.org,2002:binary"
_BOOLEANS = frozenset({"true", "false", "True", "False", "TRUE", "FALSE"})
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_STRICT = frozenset({("version",)})  # where a boolean or an integer belongs
_STRICT_KEYS = frozenset({"custom_event"})


class _Composer(yaml.SafeLoader):
    """A SafeLoader that refuses aliases before anything is expanded."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                problem="YAML aliases (*name) are not supported in a spec; write the value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _to_python(
    node: yaml.Node,
    loc: Loc,
    loader: _Composer,
    positions: Positions,
    problems: list[Problem],
    file: str,
) -> Any:
    positions.setdefault(loc, _position(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                if not isinstance(key_node, yaml.ScalarNode):
                    problems.append(
                        Problem(
                            file,
                            "a key must be text, not a list or a mapping",
                            *_position(key_node),
                        )
                    )
                    continue
                key = key_node.value  # as written: `yes`, `0x10` and `~` stay names
            _check_text(key, key_node, file)
            if key in result:
                line, col = _position(key_node)
                first = positions.get((*loc, key), (0, 0))[0]
                problems.append(
                    Problem(file, f"duplicate key {key!r} (first at line {first})", line, col)
                )
                continue
            positions[(*loc, key)] = _position(key_node)
            result[key] = _to_python(value_node, (*loc, key), loader, positions, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*loc, i), loader, positions, problems, file)
            for i, item in enumerate(node.value)
        ]
    if node.tag == _BINARY:
        problems.append(
            Problem(
                file,
                f"{key_path(loc)}: YAML !!binary values are not "
                "supported in a spec; write the text itself",
                *_position(node),
            )
        )
        return node.value
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        _check_text(value, node, file)
    elif isinstance(value, (bytes, bytearray)):
        problems.append(
            Problem(
                file,
                f"{key_path(loc)}: binary values are not supported in "
                "a spec; write the text itself",
                *_position(node),
            )
        )
        return node.value
    elif loc in _STRICT or (loc and loc[-1] in _STRICT_KEYS):
        loose = _loose(value, node.value)
        if loose:
            problems.append(Problem(file, f"{key_path(loc)}: {loose}", *_position(node)))
    return value


def _loose(value: Any, text: str) -> str | None:
    """Why a YAML 1.1 scalar is not taken for a boolean or an integer (or None)."""
    if isinstance(value, bool) and text not in _BOOLEANS:
        return f"{text!r} is a boolean only in YAML 1.1; write true or false"
    if isinstance(value, int) and not isinstance(value, bool) and not _DECIMAL.fullmatch(text):
        return f"{text!r} is an integer only in YAML 1.1; write it in decimal digits"
    return None


def _check_text(value: str, node: yaml.Node, file: str) -> None:
    """A lone surrogate (from a YAML escape such as "\\ud800") cannot be written as UTF-8."""
    bad = _SURROGATE.search(value)
    if bad:
        line, col = _position(node)
        raise SpecError(
            [
                Problem(
                    file,
                    f"the text contains U+{ord(bad.group()):04X}, half of "
                    "a UTF-16 surrogate pair, which is not a character",
                    line,
                    col,
                )
            ]
        )


def _read(path: Path) -> str:
    """The spec's text, through the one reader (regular files only, at most 1 MiB)."""
    from gtmgen.gtm import reader

    file = str(path)
    try:
        raw = reader.read_bytes(path, limit=MAX_SPEC_BYTES, what="specs")
    except reader.UnreadableFile as exc:
        raise SpecError(exc.problems) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        col = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        raise SpecError(
            [
                Problem(
                    file,
                    f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                    line,
                    col,
                )
            ]
        ) from None


def load_spec(path: str | Path, *, environ: Mapping[str, str] | None = None) -> Spec:
    """Load and check a spec file; raise ``SpecError`` with every problem found."""
    path = Path(path)
    return load_spec_text(_read(path), file=str(path), environ=environ)


def load_spec_text(
    text: str, *, file: str = "<spec>", environ: Mapping[str, str] | None = None
) -> Spec:
    data, positions, problems = _parse_yaml(text, file)
    # on the raw data, so that they are reported together with the model's problems
    problems += _duplicate_events(data, positions, file)
    problems += _token_problems(data, positions, file, os.environ if environ is None else environ)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_sorted([*problems, *_pydantic_problems(exc, positions, file)])) from None
    if problems:
        raise SpecError(_sorted(problems))
    return spec


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.line or 0, p.col or 0, p.message))


def _parse_fast(text: str, file: str) -> tuple[Any, Positions, list[Problem]] | None:
    """The same parse through libyaml's C parser (1,000 events: 350 -> 70 ms), or None.

    Only when PyYAML has libyaml and the text holds no ``*`` (so no alias for _Composer to
    refuse), no tab (libyaml accepts tabs where the Python scanner refuses them) and no
    byte order mark. The C parser's marks count lines and characters as the Python one
    does, so positions are the same. Any error, duplicate key or non-mapping gives None:
    the pure-Python path then reports it exactly as always.
    """
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None or "*" in text or "\t" in text or text.startswith("\ufeff"):
        return None
    problems: list[Problem] = []
    positions: Positions = {}
    try:
        loader = c_loader(text)
        try:
            node = loader.get_single_node()
            data = _to_python(node, (), loader, positions, problems, file) if node else None
        finally:
            loader.dispose()
    except Exception:  # whatever it is, the reference path below decides and explains it
        return None
    if problems or not isinstance(data, dict):
        return None
    return data, positions, problems


def _parse_yaml(text: str, file: str) -> tuple[Any, Positions, list[Problem]]:
    """The data, the position of every key and item, and the duplicate keys found."""
    if not text.strip():
        raise SpecError(
            [Problem(file, "the spec is empty; see the README for a minimal spec", 1, 1)]
        )
    fast = _parse_fast(text, file)
    if fast is not None:
        return fast
    problems: list[Problem] = []
    positions: Positions = {}
    try:
        loader = _Composer(text)
    except yaml.reader.ReaderError as exc:
        raise SpecError([_reader_problem(exc, text, file)]) from None
    try:
        node = loader.get_single_node()
        data = _to_python(node, (), loader, positions, problems, file) if node else None
    except yaml.reader.ReaderError as exc:
        raise SpecError([_reader_problem(exc, text, file)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context}"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise SpecError([Problem(file, message, line, col)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(file, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise SpecError([Problem(file, "the YAML is nested too deeply for a spec")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "empty" if data is None else describe(data)
        raise SpecError([Problem(file, f"a spec must be a mapping of keys, not {kind}", 1, 1)])
    return data, positions, problems


def _reader_problem(exc: yaml.reader.ReaderError, text: str, file: str) -> Problem:
    """YAML refuses control characters other than tab and line breaks anywhere in a file."""
    start = text.rfind("\n", 0, exc.position) + 1
    line = text.count("\n", 0, exc.position) + 1
    name = f"U+{exc.character:04X}" if isinstance(exc.character, int) else "a character"
    return Problem(
        file,
        f"{name} is a control character, which YAML does not allow; remove "
        "it or write it as an escape in double quotes",
        line,
        exc.position - start + 1,
    )


def _located(positions: Positions, loc: Loc) -> tuple[int | None, int | None]:
    while loc not in positions and loc:
        loc = loc[:-1]
    line, col = positions.get(loc, (None, None))
    return line, col


def _pydantic_problems(exc: ValidationError, positions: Positions, file: str) -> list[Problem]:
    errors = []
    for err in exc.errors():
        loc: Loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, FieldError):  # a model-level check about one field
            field = error.field
            loc = (*loc, *(field if isinstance(field, tuple) else (field,)))
        errors.append((loc, err))
    problems = []
    for loc, err in errors:
        error = (err.get("ctx") or {}).get("error")
        if isinstance(error, FieldError) and error.whole:
            line, col = _located(positions, loc)
            problems.append(Problem(file, str(error), line, col))
            continue
        if err["type"] == "too_short" and any(
            other[: len(loc)] == loc and other != loc for other, _ in errors
        ):
            continue  # items failed; "too short" only repeats that
        line, col = _located(positions, loc)
        problems.append(Problem(file, error_message(loc, err), line, col))
    return problems


def _duplicate_events(data: dict[str, Any], positions: Positions, file: str) -> list[Problem]:
    events = data.get("events")
    if not isinstance(events, list):
        return []
    problems = []
    first_seen: dict[str, int] = {}
    blocks = [block for block, _ in PLATFORM_EVENTS if block in data]
    if not blocks:
        problems.append(Problem(file, NO_PLATFORM, *_located(positions, ())))
    for i, entry in enumerate(events):
        if not isinstance(entry, dict):
            continue
        problems += _non_standard(entry, ("events", i), positions, file)
        if not any(key in entry for _, key in PLATFORM_EVENTS):
            where, message = missing_platform_event(i, blocks)
            problems.append(Problem(file, message, *_located(positions, where)))
        event = entry.get("event")
        if not isinstance(event, str):
            continue
        if event in first_seen:
            line, col = _located(positions, ("events", i, "event"))
            first = positions.get(("events", first_seen[event], "event"), (0, 0))[0]
            problems.append(
                Problem(
                    file,
                    f"events[{i}]: the dataLayer event {event!r} is already described "
                    f"(line {first}); give each dataLayer event one entry",
                    line,
                    col,
                )
            )
        else:
            first_seen[event] = i
    return problems


def _non_standard(
    entry: dict[str, Any], loc: Loc, positions: Positions, file: str
) -> list[Problem]:
    """The model says this too, but only when the rest of the event is valid."""
    problems = []
    custom = entry.get("custom_event", False)
    for key in STANDARD:
        name = entry.get(key)
        if custom is not False or not isinstance(name, str) or not TIKTOK_EVENT.fullmatch(name):
            continue
        message = non_standard_event(name, key)
        if message is None:
            continue
        line, col = _located(positions, (*loc, key))
        problems.append(Problem(file, f"{key_path((*loc, key))}: {message}", line, col))
    return problems


def _token_problems(
    data: dict[str, Any], positions: Positions, file: str, environ: Mapping[str, str]
) -> list[Problem]:
    problems = []
    for platform in ("tiktok", "meta"):
        block = data.get(platform)
        value = block.get("access_token") if isinstance(block, dict) else None
        if not isinstance(value, str) or not ENV_REFERENCE.fullmatch(value):
            continue  # absent, or refused by the model as a literal token
        env_name = value.removeprefix("env:")
        token = environ.get(env_name, "")
        line, col = _located(positions, (platform, "access_token"))
        if not token:
            message = (
                f"the environment variable {env_name} is not set (set it, or remove "
                "access_token to fill the token in after import)"
            )
        elif not _TOKEN.fullmatch(token):  # never echo the value: it is a secret
            message = (
                f"the environment variable {env_name} holds spaces, line breaks, "
                "braces or other characters an access token does not have"
            )
        else:
            continue
        problems.append(Problem(file, f"{platform}.access_token: {message}", line, col))
    return problems
