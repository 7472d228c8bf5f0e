"""Regenerate the expected files of every golden case: python -m tests.cases"""

from __future__ import annotations

from tests.cases import ROOT, cases


def update() -> None:
    for case in cases():
        built = case.built()
        for stale in set(case.expected_paths()) - set(built):
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
        for path, text in built.items():
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {path.relative_to(ROOT)}")


update()
