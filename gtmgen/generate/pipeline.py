"""The whole build in one direction: spec file -> model -> exports -> validate -> files."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gtmgen.errors import ExitCode, GtmgenError, InputError, Problem, Result, SpecError
from gtmgen.generate import build
from gtmgen.gtm import reader
from gtmgen.gtm.export import serialise
from gtmgen.resources import example_spec
from gtmgen.spec import load_spec
from gtmgen.spec.model import Spec

WEB_SIZE_LIMIT = 200 * 1024  # GTM refuses to publish a web container above this
WARN_RATIO = 0.7


@dataclass
class Built:
    """A spec built into its two exports, checked, ready to write."""

    spec: Spec
    stem: str
    web: dict[str, Any]
    server: dict[str, Any]
    files: dict[str, str]  # file name -> text
    notices: list[str]
    private: frozenset[str] = frozenset()  # files holding a secret: written owner-only

    @property
    def token_embedded(self) -> bool:
        return bool(self.private)


def build_spec(spec_path: Path | None, *, environ: Mapping[str, str] | None = None) -> Built:
    """spec file -> model -> exports -> validate: the one way from a spec to exports.

    ``spec_path`` None builds the bundled example. Raises SpecError for a bad spec and
    GtmgenError if an export gtmgen built does not validate (a bug in gtmgen).
    """
    from gtmgen.validate import validate_export

    path = spec_path or example_spec()
    spec = load_spec(path, environ=environ)
    result = build(spec, environ=environ)
    stem = path.stem
    texts = {
        f"{stem}.web.json": serialise(result.web),
        f"{stem}.server.json": serialise(result.server),
    }
    problems: list[Problem] = []
    for name, export in ((f"{stem}.web.json", result.web), (f"{stem}.server.json", result.server)):
        problems += validate_export(export, file=name, built_json=texts[name].compact)
    if problems:  # a bug in gtmgen, not in the spec: say so plainly
        raise GtmgenError(
            [
                Problem(
                    "gtmgen",
                    "internal error: the generated export does not validate; please report it",
                ),
                *problems,
            ]
        )
    for name, serialised in texts.items():
        size = len(serialised.text.encode("utf-8"))
        if size > reader.MAX_EXPORT_BYTES:
            raise SpecError(
                [
                    Problem(
                        str(path),
                        f"the spec makes a {size / 1024 / 1024:.1f} MB "
                        f"{name}; gtmgen and its tools read container exports up "
                        f"to {reader.cap_text(reader.MAX_EXPORT_BYTES)} (and GTM "
                        "refuses far smaller containers): split the spec",
                    )
                ]
            )
    notices = list(result.notices)
    from gtmgen.platforms.registry import enabled

    warnings = [
        test_code_warning(str(path), code, platform.key)
        for platform in enabled(spec)
        if (code := platform.test_event_code(spec))
    ]
    notices[:0] = warnings
    private = frozenset({f"{stem}.server.json"} if result.token_embedded else ())
    if result.token_embedded:
        which = (
            f"the real {result.embedded[0]} access token"
            if len(result.embedded) == 1
            else f"the real {' and '.join(result.embedded)} access tokens"
        )
        notices.append(
            f"{stem}.server.json holds {which}: do not commit it "
            "(add it to .gitignore, or build without env: and fill the token in after import)"
        )
    notices += _sizes({name: serialised.compact_bytes for name, serialised in texts.items()})
    return Built(
        spec,
        stem,
        result.web,
        result.server,
        {name: serialised.text for name, serialised in texts.items()},
        notices,
        private,
    )


def test_code_warning(file: str, code: str, platform: str = "tiktok") -> str:
    where = {"tiktok": "TikTok's Test Events", "meta": "Meta's Test Events"}.get(
        platform, f"{platform}'s test events"
    )
    return (
        f"warning: {file}: {platform}.test_event_code {code!r} sends every server event "
        f"to {where} only (not counted in reporting or optimisation); remove it "
        "before you publish the server container"
    )


def _sizes(compact_bytes: dict[str, int]) -> list[str]:
    """Each export's size as JSON without indentation: our estimate of its container size.

    GTM's 200 KB limit applies to the compiled container it serves, which only GTM can
    make. The compact JSON holds everything that gets compiled (every tag, trigger,
    variable and template) plus some bookkeeping that may not be (IDs, fingerprints,
    notes); the 4-space file on disk is about three times larger through indentation
    alone, which GTM never counts.
    """
    lines = []
    for name, size in compact_bytes.items():
        line = f"{name}: {size / 1024:.1f} KB as compact JSON"
        if name.endswith(".web.json"):
            ratio = size / WEB_SIZE_LIMIT
            line += (
                f", {ratio:.0%} of GTM's 200 KB web container limit (an estimate: GTM "
                "counts the compiled container)"
            )
            if ratio >= WARN_RATIO:
                line = (
                    "warning: " + line + "; GTM warns from 70 % and refuses to publish above 100 %"
                )
        lines.append(line)
    return lines


def build_files(
    spec_path: Path | None,
    out_dir: Path,
    *,
    check: bool = False,
    environ: Mapping[str, str] | None = None,
) -> Result:
    """Build and write both exports (or, with ``check``, compare them with the files on
    disk); what the build says goes to stderr."""
    built = build_spec(spec_path, environ=environ)
    if check:
        return _check(built.files, out_dir)
    _write_all(built.files, out_dir, private=built.private)
    result = Result()
    result.err(*built.notices, *(f"wrote {out_dir / n}" for n in built.files))
    return result


def _check(files: dict[str, str], out_dir: Path) -> Result:
    """Compare the files on disk with the build, byte for byte. A file that is missing or
    stale fails the check (exit 1); one the reader refuses (a FIFO, a device, a folder,
    a symlink to one, a file over the cap) is invalid input (exit 2)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output path is a file, not a folder", file=str(out_dir))
    messages = []
    for name, text in files.items():
        target = out_dir / name
        if not os.path.exists(target):  # a dangling symlink is missing too
            messages.append(f"{target}: missing (run gtmgen build)")
            continue
        current = reader.read_bytes(target)
        expected = text.encode("utf-8")
        if current != expected:
            messages.append(f"{target}: stale (run gtmgen build)")
            messages += ["  " + line for line in _entity_changes(current, text)]
    result = Result(ExitCode.DIFFERENT if messages else ExitCode.OK)
    result.err(*(messages or [f"{out_dir / n}: up to date" for n in files]))
    return result


def _entity_changes(old: bytes, new_text: str) -> list[str]:
    """Which entities differ, by name."""
    from gtmgen.diff import diff_texts

    try:
        old_text, _ = reader.decode(old, file="old")
    except GtmgenError as exc:
        return [f"cannot compare entities: {exc.problems[0]}"]
    changes = diff_texts(old_text, new_text)
    return changes or ["no entity differs: only the layout, IDs, fingerprints or export time"]


def _write_all(
    files: dict[str, str], out_dir: Path, *, private: frozenset[str] = frozenset()
) -> None:
    """Write every file to a temporary name first; rename only when all are written.

    New files get the usual permissions (0666 less the umask); a file in ``private``
    (one that holds the access token) is readable by its owner only. On any failure the
    temporary files are removed and the existing files stay as they were.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output path is a file, not a folder", file=str(out_dir))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot create the output folder: {exc.strerror}", file=str(out_dir)
        ) from None
    for name in files:  # found now, not after the first file was already replaced
        if (out_dir / name).is_dir():
            raise InputError(
                f"{name} is a folder; cannot write the export there", file=str(out_dir)
            )
    data = {name: text.encode("utf-8") for name, text in files.items()}
    staged: list[tuple[Path, Path]] = []  # (temporary file, target)
    kept: dict[Path, Path | None] = {}  # target -> its old file kept aside (None: no old file)
    replaced: list[Path] = []
    with _terminate_as_exit():
        try:
            for name, raw in data.items():
                tmp = out_dir / f".{name}.{secrets.token_hex(6)}.tmp"
                mode = 0o600 if name in private else 0o666
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                fd = os.open(tmp, flags, mode)
                staged.append((tmp, out_dir / name))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(raw)
            for _, target in staged:  # a second name for each old file, until both are in
                kept[target] = _keep_aside(target)
            for tmp, target in staged:
                os.replace(tmp, target)
                replaced.append(target)
        except BaseException as exc:  # an OSError, an interrupt, SIGTERM (SystemExit)
            _roll_back(replaced, kept)
            if isinstance(exc, OSError):
                raise InputError(
                    f"cannot write to the output folder: {exc.strerror or exc}", file=str(out_dir)
                ) from None
            raise
        finally:
            for tmp, _ in staged:
                _remove(tmp)
            for old in kept.values():
                if old is not None:
                    _remove(old)


def _keep_aside(target: Path) -> Path | None:
    """A hard link to the current ``target`` (None when there is none), so that the old
    file can be put back if the other export cannot be replaced."""
    if not os.path.lexists(target):
        return None
    aside = target.with_name(f".{target.name}.{secrets.token_hex(6)}.old")
    try:
        os.link(target, aside, follow_symlinks=False)
    except OSError:  # no hard links here (some network or FAT file systems): copy it
        import shutil
        import stat

        mode = os.lstat(target).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            return None  # a FIFO or a device where an export belongs: never read it
        shutil.copy2(target, aside, follow_symlinks=False)
    return aside


def _roll_back(replaced: list[Path], kept: dict[Path, Path | None]) -> None:
    """Put back the old file of every target already replaced (or remove the new one)."""
    for target in reversed(replaced):
        old = kept.get(target)
        try:
            if old is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(old, target)
                kept[target] = None
        except OSError:
            pass  # nothing better to do; the error that stopped the build is reported


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """While the exports are written, SIGTERM exits through the cleanup (temporary files
    removed, old exports kept) instead of killing the process on the spot."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one is enough: let cleanup finish
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except (ValueError, OSError):  # not supported here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
