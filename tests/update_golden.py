"""Regenerate the golden exports (output/ and tests/golden/): python -m tests.update_golden"""

from __future__ import annotations

from tests.golden_specs import GOLDEN, expected_files


def main() -> None:
    for name in GOLDEN:
        for path, text in expected_files(name).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
