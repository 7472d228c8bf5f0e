"""Read a spec file: YAML with positions, then the pydantic model, then cross-field checks.

Every problem is collected with its ``FILE:LINE:COL`` and raised together as one
``SpecError``. YAML aliases are refused (no alias bombs), duplicate keys are errors
(plain loaders silently keep the last one), and files over 1 MiB are refused.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gtmgen.errors import Problem, SpecError
from gtmgen.spec.model import Spec

MAX_SPEC_BYTES = 1024 * 1024

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]


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
    node: yaml.Node, loc: Loc, loader: _Composer, positions: Positions, problems: list[Problem],
    file: str,
) -> Any:
    positions.setdefault(loc, _position(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                line, col = _position(key_node)
                first = positions.get((*loc, key), (0, 0))[0]
                problems.append(Problem(file, f"duplicate key {key!r} (first at line {first})",
                                        line, col))
                continue
            positions[(*loc, key)] = _position(key_node)
            result[key] = _to_python(value_node, (*loc, key), loader, positions, problems, file)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(item, (*loc, i), loader, positions, problems, file)
            for i, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def _read(path: Path) -> str:
    file = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SpecError(f"no such file: {file}", file=file) from None
    except OSError as exc:
        raise SpecError(f"cannot read {file}: {exc.strerror}", file=file) from None
    if path.is_dir():
        raise SpecError("is a directory, not a spec file", file=file)
    if size > MAX_SPEC_BYTES:
        raise SpecError(f"the file is {size} bytes; a spec may be at most 1 MiB", file=file)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read {file}: {exc.strerror}", file=file) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise SpecError(
            [Problem(file, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})", line, col)]
        ) from None


def load_spec(path: str | Path, *, environ: Mapping[str, str] | None = None) -> Spec:
    """Load and check a spec file; raise ``SpecError`` with every problem found."""
    path = Path(path)
    return load_spec_text(_read(path), file=str(path), environ=environ)


def load_spec_text(
    text: str, *, file: str = "<spec>", environ: Mapping[str, str] | None = None
) -> Spec:
    data, positions = _parse_yaml(text, file)
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(_pydantic_problems(exc, positions, file)) from None
    problems = _cross_checks(spec, positions, file, os.environ if environ is None else environ)
    if problems:
        raise SpecError(problems)
    return spec


def _parse_yaml(text: str, file: str) -> tuple[Any, Positions]:
    if not text.strip():
        raise SpecError([Problem(file, "the spec is empty; see the README for a minimal spec",
                                 1, 1)])
    loader = _Composer(text)
    try:
        node = loader.get_single_node()
        problems: list[Problem] = []
        positions: Positions = {}
        data = _to_python(node, (), loader, positions, problems, file) if node else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"YAML syntax error: {exc.problem or exc.context}"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise SpecError([Problem(file, message, line, col)]) from None
    except yaml.YAMLError as exc:
        raise SpecError([Problem(file, f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    if problems:
        raise SpecError(problems)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise SpecError([Problem(file, f"a spec must be a mapping of keys, not {kind}", 1, 1)])
    return data, positions


def _located(positions: Positions, loc: Loc) -> tuple[int | None, int | None]:
    while loc not in positions and loc:
        loc = loc[:-1]
    line, col = positions.get(loc, (None, None))
    return line, col


def _pydantic_problems(
    exc: ValidationError, positions: Positions, file: str
) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc: Loc = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            known = _known_keys(Spec, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"unknown key {dotted!r}{hint}"
        elif kind == "missing":
            message = f"missing required key {dotted!r}"
        else:
            text = err["msg"].removeprefix("Value error, ")
            message = f"{dotted}: {text}"
        line, col = _located(positions, loc)
        problems.append(Problem(file, message, line, col))
    return sorted(set(problems), key=lambda p: (p.line or 0, p.col or 0, p.message))


def _known_keys(model: Any, loc: Loc) -> list[str]:
    """The field names of the model found at ``loc`` (for "did you mean")."""
    from typing import get_args

    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        candidates = [annotation, *get_args(annotation)]
        for arg in list(candidates):
            candidates.extend(get_args(arg))
        nxt = next((c for c in candidates if hasattr(c, "model_fields")), None)
        if nxt is None:
            return []
        current = nxt
    return list(getattr(current, "model_fields", {}))


def _cross_checks(
    spec: Spec, positions: Positions, file: str, environ: Mapping[str, str]
) -> list[Problem]:
    problems = []
    first_seen: dict[str, int] = {}
    for i, event in enumerate(spec.events):
        if event.event in first_seen:
            line, col = _located(positions, ("events", i, "event"))
            first = positions.get(("events", first_seen[event.event], "event"), (0, 0))[0]
            problems.append(Problem(
                file,
                f"events[{i}]: the dataLayer event {event.event!r} is already described "
                f"(line {first}); give each dataLayer event one entry",
                line, col,
            ))
        else:
            first_seen[event.event] = i
    env_name = spec.tiktok.access_token_env
    if env_name is not None and not environ.get(env_name):
        line, col = _located(positions, ("tiktok", "access_token"))
        problems.append(Problem(
            file,
            f"tiktok.access_token: the environment variable {env_name} is not set "
            "(set it, or remove access_token to fill the token in after import)",
            line, col,
        ))
    return problems
