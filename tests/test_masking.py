"""No secret is ever printed: the mask itself (hypothesis), and every command's output on
the corpus exports that hold live-looking tokens. The tokens are read from the corpus at
test time and never written into this repository."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from gtmgen.cli import app
from gtmgen.gtm.secrets import (
    is_masked,
    looks_like_token,
    mask,
    masked,
    masked_text,
    masked_tree,
    masked_url,
    secret_label,
    secret_value,
)

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "output" / "acme-shop.server.json"
# Corpus exports with live-looking tokens in constants or tag fields (SOURCES.md).
TOKEN_FILES = (
    "laseryshow__GTM-T2ZQP7WV_v56.json",
    "laseryshow__GTM-T2ZQP7WV_workspace51.json",
    "yanjumper__gtm-server.json",
    "thsjn__sGTM.json",
)
MIN_CHECKED = 12  # shorter secrets ("1", "VALUE_HERE") also occur as ordinary text


# --- the mask ------------------------------------------------------------------------


def test_mask_shape() -> None:
    token = "EAAG" + "Zx9" * 70
    shown = mask(token)
    assert re.fullmatch(r"EAAG…\(214 chars, #[0-9a-f]{6}\)", shown)
    assert is_masked(shown) and token not in shown
    assert mask("hunter2").startswith("…(7 chars, #")  # short: no prefix at all


SECRET_WORDS = st.sampled_from(
    [
        "token",
        "Token",
        "TOKEN",
        "secret",
        "Secret",
        "password",
        "Password",
        "api_key",
        "apiKey",
        "API Key",
        "private key",
        "accessToken",
        "access_token",
        "client_secret",
        "passwd",
    ]
)
AFFIX = st.text(alphabet=string.ascii_letters + " _-", max_size=12)


@st.composite
def secret_labels(draw: Any) -> str:
    word = draw(SECRET_WORDS)
    before, after = draw(AFFIX), draw(AFFIX)
    sep = draw(st.sampled_from(["", " ", "_", "-"]))
    # keep the word a word of its own: a separator, or a case change, around it
    return (
        f"{before}{sep if before else ''}{word}{sep if after else ''}{after}"
        if sep
        else f"{before.lower()}{word[0].upper()}{word[1:]}"
        if before
        else word
    )


VALUES = st.text(min_size=8, max_size=300).filter(
    lambda v: "{{" not in v and v.strip() and v not in ("true", "false")
)


@given(secret_labels(), VALUES)
def test_a_value_under_a_secret_label_never_shows(label: str, value: str) -> None:
    assert secret_label(label), label
    shown = masked(value, label)
    assert value not in shown and is_masked(shown)
    tree = masked_tree({"outer": [{"name": label, "value": value}], label: value})
    assert isinstance(tree, dict)
    assert is_masked(tree["outer"][0]["value"]) and is_masked(tree[label])


@given(st.text(min_size=8, max_size=80), st.text(min_size=8, max_size=80))
def test_changed_secret_of_the_same_length_still_differs(a: str, b: str) -> None:
    if a == b or len(a) != len(b):
        return
    assert mask(a) != mask(b)


@given(
    st.text(alphabet="0123456789abcdef", min_size=40, max_size=40),
    st.text(alphabet=string.ascii_letters + string.digits, min_size=20, max_size=60),
)
def test_token_shapes_are_masked_anywhere(hexed: str, tail: str) -> None:
    if sum(c.isdigit() for c in hexed) >= 4 and len(set(hexed)) >= 10:
        assert looks_like_token(hexed)
        assert hexed not in masked_text(f"<script>var t = '{hexed}';</script>")
    meta = "EAA" + tail
    assert secret_value(meta) and meta not in masked(meta, "value")
    assert meta not in masked_url(
        f"https://graph.facebook.com/v19.0/1/events?access_token={meta}&x=1"
    )


def test_ordinary_values_are_left_alone() -> None:
    for value, label in [
        ("CACMESHOP0000000001", "pixelId"),
        ("G-ABCDEF1234", "tagId"),
        ("ecommerce.items.0.item_id", "name"),
        ("{{TikTok token}}", "token"),
        ("https://sgtm.shop.example/collect", "url"),
        ("purchase", "event"),
        ("true", "secret"),
        ("ecommerce.transaction_id", "keyPath"),
    ]:
        assert masked(value, label) == value, (value, label)
    assert not secret_label("keyPath") and not secret_label("key")
    assert secret_label("developerToken") and secret_label("License Key")


# --- every command, on the corpus -----------------------------------------------------


def _secrets_in(data: Any) -> set[str]:
    """Secret values of an export (as the mask judges them), read at test time."""
    found: set[str] = set()

    def walk(node: Any, labels: tuple[str, ...]) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, labels)
            return
        if not isinstance(node, dict):
            return
        if node.get("type") == "c" and isinstance(node.get("name"), str):
            labels = (*labels, node["name"])
        key, value = node.get("key"), node.get("value")
        keys = [key] if isinstance(key, str) else []
        if (
            isinstance(value, str)
            and secret_value(value, *labels, *keys)
            and not re.search(r"\s", value.strip())
        ):
            found.add(value)
        for name, child in node.items():
            if name not in ("templateData", "notes"):
                walk(child, labels)

    walk(data, ())
    return {s for s in found if len(s) >= MIN_CHECKED}


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), (args, result.output[-2000:])
    return result.output


@pytest.mark.parametrize("name", TOKEN_FILES)
def test_no_command_prints_a_corpus_token(corpus_dir: Path, name: str, tmp_path: Path) -> None:
    path = corpus_dir / name
    secrets = _secrets_in(json.loads(path.read_text(encoding="utf-8")))
    assert secrets, f"{name} was chosen for its tokens; none found"
    outputs = {
        "textconv": _run(["textconv", str(path)]),
        "audit": _run(["audit", str(path)]),
        "validate": _run(["validate", str(path)]),
        "plan": _run(["plan", str(path), str(SERVER), "--mode", "overwrite"]),
    }
    for fmt in ("text", "json", "markdown"):
        outputs[f"diff {fmt}"] = _run(["diff", str(path), str(SERVER), "--format", fmt])
        outputs[f"diff {fmt} reversed"] = _run(["diff", str(SERVER), str(path), "--format", fmt])
    for label, output in outputs.items():
        for secret in secrets:
            assert secret not in output, f"{label} printed a secret of {name}"
    for secret in secrets:
        assert mask(secret) in outputs["textconv"]


def test_diff_shows_a_changed_token_of_the_same_length(tmp_path: Path) -> None:
    data = json.loads(SERVER.read_text(encoding="utf-8"))
    old_token, new_token = "a1b2c3d4e5f6" * 3 + "x9", "a1b2c3d4e5f6" * 3 + "y8"
    paths = []
    for token in (old_token, new_token):
        for variable in data["containerVersion"]["variable"]:
            if variable["name"] == "gtmgen - TikTok access token":
                variable["parameter"][0]["value"] = token
        path = tmp_path / f"{token[-2:]}.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    for fmt in ("text", "json", "markdown"):
        output = _run(["diff", str(paths[0]), str(paths[1]), "--format", fmt])
        assert "TikTok access token" in output
        assert old_token not in output and new_token not in output
        assert mask(old_token) in output and mask(new_token) in output


def test_simulate_masks_the_access_token() -> None:
    pytest.importorskip("py_mini_racer")
    token = "EAAT" + "q7Rz0" * 30
    for extra in ([], ["--json"], ["--logs"]):
        output = _run(["simulate", "--access-token", token, "--seed", "1", *extra])
        assert token not in output
        assert mask(token) in output
        # hashed user data in the request body is shown (judged by keys alone)
        assert re.search(r'"email": \[?\s*"?[0-9a-f]{64}"', output), extra


def test_validate_quotes_values_masked(tmp_path: Path) -> None:
    data = json.loads(SERVER.read_text(encoding="utf-8"))
    token = "EAAB" + "k3Lm9" * 20
    data["containerVersion"]["tag"][0]["tagFiringOption"] = token
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    output = CliRunner().invoke(app, ["validate", str(path)]).output
    assert "tagFiringOption" in output and mask(token) in output
    assert token not in output
