"""Secrets in reports: which values are secrets, and how one is shown (docs/secrets.md).

A value is a secret when the parameter key, table label or variable name next to it says
token, secret, password or a qualified key (``api_key``, ``apiKey``, "License Key"), for
any vendor; or when the value itself looks like a vendor token (Meta ``EAA…``, Google
``AIza…``, Stripe ``sk_live_…``, GitHub ``ghp_…``, Slack ``xox…``) or a long
high-entropy string. A secret is shown as a short prefix (none for a short value), its
length and a short digest of the whole value, ``EAAG…(212 chars, #3f9a1c)``: never the
value, yet a changed secret of the same length still shows as changed.

Values that only hold variable references (``{{TikTok token}}``) are not secrets: the
reference is shown and the variable's own value is masked where it is defined.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable

_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
SECRET_WORDS = frozenset(
    {
        "token",
        "tokens",
        "secret",
        "secrets",
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "apikey",
        "credential",
        "credentials",
        "authorization",
        "bearer",
    }
)
# "key" is a secret only with one of these before it (api key, private key, ...): a
# plain "key" is a table column or a data layer key path.
KEY_QUALIFIERS = frozenset(
    {
        "api",
        "secret",
        "private",
        "access",
        "auth",
        "client",
        "app",
        "license",
        "licence",
        "write",
        "signing",
        "encryption",
        "server",
        "service",
        "developer",
        "account",
        "master",
        "shared",
        "partner",
        "publishable",
        "rest",
        "ingest",
        "ingestion",
    }
)
VENDOR_TOKEN = re.compile(
    r"EAA[A-Za-z0-9]{20,}"  # Meta (Conversions API, Graph API)
    r"|AIza[0-9A-Za-z_\-]{30,}"  # Google API key
    r"|(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}"  # Stripe
    r"|gh[pousr]_[0-9A-Za-z]{30,}"  # GitHub
    r"|xox[abposr]-[0-9A-Za-z\-]{10,}"  # Slack
    r"|ya29\.[0-9A-Za-z_\-]{20,}"  # Google OAuth access token
    r"|shp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}"  # Shopify
)
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_\-.+/=~]{32,}")
MIN_ENTROPY = 3.0  # bits per character: hex is up to 4, words and slugs stay below ~3
REFERENCE = re.compile(r"\{\{[^{}]*\}\}")
PREFIX_FROM = 16  # a value this long or longer shows its first 4 characters


def words(label: str) -> list[str]:
    """``accessToken`` / ``access_token`` / ``TikTok Access Token`` -> lower-case words."""
    return [w.lower() for w in _WORDS.findall(label)]


def secret_label(label: str) -> bool:
    """Does a parameter key, table label or entity name say it holds a secret?"""
    found = words(label)
    if any(w in SECRET_WORDS for w in found):
        return True
    joined = "".join(found)
    if "apikey" in joined or "accesskey" in joined or "secretkey" in joined:
        return True
    return any(w == "key" and i > 0 and found[i - 1] in KEY_QUALIFIERS for i, w in enumerate(found))


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def looks_like_token(value: str) -> bool:
    """A vendor token shape, or a long run of token characters with letters, digits and
    high entropy (not a URL, path, reference or plain word)."""
    if VENDOR_TOKEN.search(value):
        return True
    for match in _TOKEN_CHARS.finditer(value):
        run = match.group(0)
        if (
            sum(c.isdigit() for c in run) >= 4
            and re.search(r"[A-Za-z]", run)
            and entropy(run) >= MIN_ENTROPY
            and run.count("/") < 2
            and run.count(".") < 3
            and not re.fullmatch(r"[\d.]+", run)
        ):
            return True
    return False


def mask(value: str) -> str:
    """``EAAG…(212 chars, #3f9a1c)``: a short prefix, the length and a digest."""
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    prefix = value[:4] if len(value) >= PREFIX_FROM else ""
    return f"{prefix}…({len(value)} chars, #{digest})"


def is_masked(value: str) -> bool:
    return bool(re.fullmatch(r".{0,4}…\(\d+ chars, #[0-9a-f]{6}\)", value, re.S))


def secret_value(value: str, *labels: str, shapes: bool = True) -> bool:
    """Is ``value`` a secret, given the labels next to it (key, row label, entity name)?
    ``shapes=False`` judges by the labels alone (a request body, where hashed user data
    looks like a token and is shown on purpose)."""
    if not value or is_masked(value) or value in ("true", "false"):
        return False
    literal = REFERENCE.sub("", value).strip()
    if not literal:
        return False
    if any(secret_label(label) for label in labels if label):
        return True
    return shapes and looks_like_token(value)


def masked(value: str, *labels: str, shapes: bool = True) -> str:
    """``value`` masked when it is a secret (see ``secret_value``), else as it is; in
    code or prose (text with spaces) only the token-like runs are masked."""
    if not secret_value(value, *labels, shapes=shapes):
        return value
    if not any(secret_label(label) for label in labels if label) and re.search(
        r"\s", value.strip()
    ):
        return masked_text(value)
    return mask(value)


def masked_text(text: str) -> str:
    """Free text (a Custom HTML tag, a header, a body) with every token-like run masked."""

    def one(match: re.Match[str]) -> str:
        run = match.group(0)
        return mask(run) if looks_like_token(run) else run

    return _TOKEN_CHARS.sub(one, VENDOR_TOKEN.sub(lambda m: mask(m.group(0)), text))


def masked_row(row: dict[str, str], *labels: str) -> dict[str, str]:
    """A settings table row: a value cell is masked when its row's label cell says secret
    (``{"name": "access_token", "value": "…"}``)."""
    row_labels = [v for k, v in row.items() if k in LABEL_CELLS and isinstance(v, str)]
    return {
        k: masked(v, k, *labels, *([] if k in LABEL_CELLS else row_labels))
        if isinstance(v, str)
        else v
        for k, v in row.items()
    }


LABEL_CELLS = frozenset({"name", "key", "parameter", "header", "headerName", "field"})


def find_secrets(values: Iterable[tuple[str, tuple[str, ...]]]) -> set[str]:
    """The secret values among (value, labels) pairs: for tests and for callers that must
    scrub a free text (``masked_text`` catches only token shapes)."""
    return {v for v, labels in values if secret_value(v, *labels)}


def masked_tree(node: object, *labels: str, shapes: bool = True) -> object:
    """A normalised parameter value (strings, lists, mappings by key) with its secrets
    masked; each string is judged with its key and the keys and labels above it."""
    if isinstance(node, str):
        return masked(node, *labels, shapes=shapes)
    if isinstance(node, list):
        return [masked_tree(item, *labels, shapes=shapes) for item in node]
    if isinstance(node, dict):
        row_labels = [v for k, v in node.items() if k in LABEL_CELLS and isinstance(v, str)]
        return {
            k: masked_tree(v, k, *labels, *([] if k in LABEL_CELLS else row_labels), shapes=shapes)
            for k, v in node.items()
        }
    return node


def masked_url(url: str) -> str:
    """A URL whose query values are masked when their names say secret
    (``?access_token=…``) or they look like tokens."""

    def one(match: re.Match[str]) -> str:
        return match.group(1) + masked(match.group(2), match.group(1).strip("?&="))

    return re.sub(r"([?&][^=&#]+=)([^&#]*)", one, url)
