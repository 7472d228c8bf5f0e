"""Files shipped in ``templates/``: inside the wheel at ``gtmgen/templates``, beside the
package in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def templates_dir() -> Path:
    for candidate in (_HERE / "templates", _HERE.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("gtmgen's templates/ folder is missing from this installation")


def read_template(name: str) -> str:
    return (templates_dir() / name).read_text(encoding="utf-8")


def example_spec() -> Path:
    return _HERE / "examples" / "acme-shop.yaml"
