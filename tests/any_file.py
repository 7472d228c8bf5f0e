"""The shared "any file" set: every kind of file a careless or hostile user can hand to a
command that reads one (issue 12). Each entry says what every command must do with it.

- ``FILE_LEVEL``: not something to read at all (a FIFO, a device, a folder, a symlink to
  a device, a file over the size cap). Every command refuses it unread: exit 2, a message
  naming the file, no hang (tests run these in a subprocess with a timeout).
- ``CONTENT_LEVEL``: a regular file whose content the reader's JSON policy refuses, or
  JSON that is not a container export. Every command refuses it with exit 2 and a message
  naming the file, except two documented cases: ``textconv`` shows it as it is with a
  warning (exit 0, so that ``git diff`` still works), and ``build --check`` finds an output
  file with such content stale (exit 1).
- ``BOM``: a good export behind a UTF-8 byte order mark: accepted with a warning naming
  the file, everywhere.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from gtmgen.gtm.reader import MAX_DEPTH, MAX_EXPORT_BYTES

Maker = Callable[[Path], Path]


def _write(name: str, content: bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path

    return make


def _fifo(folder: Path) -> Path:
    path = folder / "pipe.json"
    os.mkfifo(path)
    return path


def _folder(folder: Path) -> Path:
    path = folder / "folder.json"
    path.mkdir()
    return path


def _huge(folder: Path) -> Path:
    path = folder / "huge.json"
    with path.open("wb") as handle:  # sparse: over the cap on paper, nothing on disk
        handle.truncate(MAX_EXPORT_BYTES + 1)
    return path


def _symlink_to(target: str) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / "link.json"
        path.symlink_to(target)
        return path

    return make


def _device(target: str) -> Maker:
    def make(folder: Path) -> Path:
        return Path(target)

    return make


FILE_LEVEL: dict[str, Maker] = {
    "fifo": _fifo,
    "dev-zero": _device("/dev/zero"),
    "dev-null": _device("/dev/null"),
    "folder": _folder,
    "huge": _huge,
    "symlink-to-dev-zero": _symlink_to("/dev/zero"),
}

_EXPORT_HEAD = b'{"exportFormatVersion": 2, "containerVersion": {"container": {"name": '
CONTENT_LEVEL: dict[str, Maker] = {
    "empty": _write("empty.json", b""),
    "blank": _write("blank.json", b"  \n\t\n"),
    "deep": _write("deep.json", b'{"containerVersion": {"x": ' + b"[" * 5000 + b"]" * 5000 + b"}}"),
    "just-too-deep": _write("just-too-deep.json", b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)),
    "nan": _write("nan.json", _EXPORT_HEAD + b'"x", "n": NaN}}}'),
    "infinity": _write("infinity.json", _EXPORT_HEAD + b'"x", "n": -Infinity}}}'),
    "overflowing-float": _write("float.json", _EXPORT_HEAD + b'"x", "n": 1e400}}}'),
    "big-int": _write("bigint.json", _EXPORT_HEAD + b'"x", "n": ' + b"9" * 5000 + b"}}}"),
    "surrogate": _write("surrogate.json", _EXPORT_HEAD + b'"\\ud800"}}}'),
    "not-utf8": _write("latin1.json", _EXPORT_HEAD + b'"caf\xe9"}}}'),
    "duplicate-keys": _write(
        "duplicate.json",
        b'{"exportFormatVersion": 2, "containerVersion": {}, "containerVersion": {"tag": []}}',
    ),
    "not-json": _write("conflict.json", b"<<<<<<< HEAD\n{}\n=======\n[]\n>>>>>>> other\n"),
    "object-not-export": _write("object.json", b"{}"),
    "list-not-export": _write("list.json", b"[]"),
    "version-not-object": _write("version.json", b'{"containerVersion": 5}'),
}
# What a --pushes file refuses is the JSON policy; an export's shape is not asked of it.
NOT_EXPORTS = ("object-not-export", "list-not-export", "version-not-object")


def bom(export: Path) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / f"bom-{export.name}"
        path.write_bytes(b"\xef\xbb\xbf" + export.read_bytes())
        return path

    return make


def pushes_with_bom(folder: Path) -> Path:
    path = folder / "bom-pushes.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"event": "purchase"}]).encode())
    return path
