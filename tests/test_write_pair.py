"""The two exports are replaced together or not at all (issue 12, torn pair): a failure
or an interrupt after the first rename puts the old first file back; SIGTERM during the
write removes the temporary files, as the README promises."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from gtmgen.errors import InputError
from gtmgen.generate import pipeline
from tests.test_spec_errors import snapshot

ROOT = Path(__file__).resolve().parents[1]
FILES = {"a.web.json": '{"web": "new"}', "a.server.json": '{"server": "new"}'}


def _old_pair(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.web.json").write_text("old web")
    (out / "a.server.json").write_text("old server")
    (out / "a.server.json").chmod(0o600)
    return out


def _failing_on_call(number: int, error: BaseException) -> tuple[Any, list[int]]:
    real = os.replace
    calls: list[int] = []

    def replace(src: Any, dst: Any) -> None:
        calls.append(1)
        if len(calls) == number:
            raise error
        real(src, dst)

    return replace, calls


@pytest.mark.parametrize(
    "error", [OSError(13, "Permission denied"), OSError(5, "Input/output error")]
)
def test_a_failed_second_rename_puts_the_first_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError
) -> None:
    out = _old_pair(tmp_path)
    before = snapshot(out)
    replace, calls = _failing_on_call(2, error)
    monkeypatch.setattr("gtmgen.generate.pipeline.os.replace", replace)
    with pytest.raises(InputError) as info:
        pipeline._write_all(FILES, out)
    assert str(info.value) == f"{out}: cannot write to the output folder: {error.strerror}"
    assert len(calls) >= 2
    assert snapshot(out) == before  # bytes, modes and times: the old pair, nothing else


def test_a_failed_second_rename_with_no_old_files_leaves_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    replace, _ = _failing_on_call(2, OSError(28, "No space left on device"))
    monkeypatch.setattr("gtmgen.generate.pipeline.os.replace", replace)
    with pytest.raises(InputError):
        pipeline._write_all(FILES, out)
    assert list(out.iterdir()) == []


def test_an_interrupt_between_the_renames_puts_the_first_file_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _old_pair(tmp_path)
    before = snapshot(out)
    replace, _ = _failing_on_call(2, KeyboardInterrupt())
    monkeypatch.setattr("gtmgen.generate.pipeline.os.replace", replace)
    with pytest.raises(KeyboardInterrupt):
        pipeline._write_all(FILES, out)
    assert snapshot(out) == before


def test_without_hard_links_the_old_file_is_copied_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _old_pair(tmp_path)
    before = {name: data for name, (data, _, _) in snapshot(out).items()}

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr("gtmgen.generate.pipeline.os.link", no_links)
    replace, _ = _failing_on_call(2, OSError(5, "Input/output error"))
    monkeypatch.setattr("gtmgen.generate.pipeline.os.replace", replace)
    with pytest.raises(InputError):
        pipeline._write_all(FILES, out)
    assert {name: data for name, (data, _, _) in snapshot(out).items()} == before


def test_a_successful_write_leaves_only_the_two_exports(tmp_path: Path) -> None:
    out = _old_pair(tmp_path)
    pipeline._write_all(FILES, out)
    assert sorted(p.name for p in out.iterdir()) == ["a.server.json", "a.web.json"]
    assert (out / "a.web.json").read_text() == FILES["a.web.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_sigterm_during_the_write_removes_temporary_files(tmp_path: Path) -> None:
    """A real SIGTERM, sent by the process to itself between the two renames."""
    out = _old_pair(tmp_path)
    before = snapshot(out)
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from gtmgen.generate import pipeline
        real = os.replace
        calls = []
        def replace(src, dst):
            calls.append(1)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGTERM)
            real(src, dst)
        pipeline.os.replace = replace
        pipeline._write_all({FILES!r}, Path({str(out)!r}))
        print("not reached")
    """)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 128 + 15, result.stderr
    assert "not reached" not in result.stdout
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before  # the old pair, no temporary or kept-aside file


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_sigterm_handler_is_restored_after_the_write(tmp_path: Path) -> None:
    import signal

    before = signal.getsignal(signal.SIGTERM)
    pipeline._write_all(FILES, tmp_path / "out")
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a POSIX FIFO")
def test_a_fifo_or_a_symlink_to_a_device_in_place_of_an_export_is_replaced_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "a.web.json")
    (out / "a.server.json").symlink_to("/dev/zero")

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr("gtmgen.generate.pipeline.os.link", no_links)  # the copying fallback, too
    pipeline._write_all(FILES, out)
    assert sorted(p.name for p in out.iterdir()) == ["a.server.json", "a.web.json"]
    assert (out / "a.server.json").read_text() == FILES["a.server.json"]
