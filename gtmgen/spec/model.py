"""The pydantic model of spec format version 1 (shared/spec-format.md).

Frozen, ``extra="forbid"``: a typo is an error, never a silently ignored key.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from gtmgen.platforms.meta.events import STANDARD_EVENTS as META_STANDARD_EVENTS
from gtmgen.platforms.tiktok.events import STANDARD_EVENTS

_DL_PATH = re.compile(r"[^.]+(\.[^.]+)*")
# C0/C1 control characters and the Unicode line/paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# What a value that fails a ``pattern`` should look like, by field name (for messages).
PATTERN_HELP = {
    "measurement_id": "a GA4 measurement ID (G- and 4 to 20 upper-case letters or digits)",
    "public_id": "a container public ID (GTM- and 4 to 12 upper-case letters or digits)",
    "pixel_id": "a TikTok pixel ID (10 to 40 upper-case letters and digits)",
    "test_event_code": "a TikTok test event code (letters, digits, '_' and '-')",
    "meta.pixel_id": "a Meta pixel (dataset) ID (5 to 20 digits, in quotes)",
    "meta.test_event_code": "a Meta test event code (letters, digits, '_' and '-')",
    "meta_event": "a Meta event name (a letter, then letters, digits or '_')",
    "consent": "a GTM consent type such as ad_storage (lower-case letters, digits and '_')",
    "tiktok_event": "a TikTok event name (a letter, then letters, digits or '_')",
    "default_country_code": "a country calling code (1 to 3 digits, not starting with 0, "
    'e.g. "49")',
}


class FieldError(ValueError):
    """A model-level check whose message belongs to one field (for the error position).

    ``field`` may be a path below the model (``("events", 0, "meta_event")``); ``whole``
    means the message is complete, without the key path in front."""

    def __init__(
        self, field: str | tuple[str | int, ...], message: str, *, whole: bool = False
    ) -> None:
        super().__init__(message)
        self.field = field
        self.whole = whole


NO_PLATFORM = "(top level): list at least one platform block (tiktok or meta)"
PLATFORM_EVENTS = (("tiktok", "tiktok_event"), ("meta", "meta_event"))


def missing_platform_event(index: int, blocks: list[str]) -> tuple[tuple[str | int, ...], str]:
    """(loc below the spec, whole message) for events[index] that names no platform event,
    given the platform blocks the spec has: with one block its event key is required."""
    keys = [key for block, key in PLATFORM_EVENTS if block in blocks]
    if len(keys) == 1:
        return ("events", index, keys[0]), f"missing required key 'events[{index}].{keys[0]}'"
    return (
        ("events", index),
        f"events[{index}]: name at least one platform event (tiktok_event or meta_event)",
    )


# Characters that do not show, or reorder what does: in a name they make a trigger that
# can never match what a site pushes (docs/spec-strictness.md). Cc control, Cf format
# (zero-width, bidi, BOM), Co private use, Cn unassigned, Cs surrogates, Zl/Zp line and
# paragraph separators. Spaces (Zs, such as U+00A0) show, and stay allowed inside a name.
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})


def _invisible(value: str) -> str | None:
    """The first invisible or formatting character in ``value``, as U+XXXX (name)."""
    for char in value:
        if unicodedata.category(char) in _INVISIBLE:
            name = unicodedata.name(char, "")
            return f"U+{ord(char):04X}" + (f" ({name})" if name else "")
    return None


def visible_name(value: str) -> str:
    """A name the site's pushes can match: no invisible characters, Unicode NFC, not blank.

    Non-NFC text is refused rather than normalised: a trigger matches the exact characters
    a site pushes, so gtmgen will not pick one of two spellings silently.
    """
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    bad = _invisible(value)
    if bad:
        raise ValueError(
            f"contains {bad}, an invisible or formatting character: a trigger "
            "with it never matches what the site pushes"
        )
    normal = unicodedata.normalize("NFC", value)
    if normal != value:
        raise ValueError(
            f"is not in Unicode normalisation form NFC (write {normal!r}, the "
            "same text composed): the site's pushes must use the same characters"
        )
    return value


def _no_braces(value: str) -> str:
    # GTM reads {{Name}} in any parameter value as a variable reference and has no escape.
    if "{{" in value or "}}" in value:
        raise ValueError("must not contain '{{' or '}}': GTM would read it as a variable reference")
    return value


def _plain(value: str) -> str:
    """Text that becomes part of an entity name: no braces, no control characters.

    Event names, property names and data layer paths end up inside variable names that
    are referenced as ``{{gtmgen - DLV - <path>}}``: a single ``}`` at the end would
    close the reference early, so no brace at all is allowed there.
    """
    if "{" in value or "}" in value:
        raise ValueError(
            "must not contain '{' or '}': it becomes part of a GTM variable reference {{...}}"
        )
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters or line breaks")
    if value != value.strip():
        raise ValueError("must not start or end with a space")
    return visible_name(value)


def _data_layer_path(value: str) -> str:
    _plain(value)
    if not _DL_PATH.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a data layer path: use dot-separated keys such as ecommerce.value"
        )
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1)]


TIKTOK_EVENT = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,99}")
ENV_REFERENCE = re.compile(r"env:[A-Za-z_][A-Za-z0-9_]*")  # tiktok.access_token: env:NAME
_URL = re.compile(r"https://([A-Za-z0-9.-]+)(?::([0-9]{1,5}))?(/[^\s{}\"'<>\\\x00-\x1f\x7f]*)?")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _url_problem(value: str) -> str | None:
    """Why ``value`` is not a usable https URL of a server container, or None."""
    found = _URL.fullmatch(value)
    if not found:
        return "is not an https URL (expected e.g. https://sgtm.example.com)"
    bad = _invisible(value)
    if bad:
        return f"contains {bad}, an invisible or formatting character"
    host, port = found.group(1), found.group(2)
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in host.split(".")):
        return (
            f"has the host {host!r}: each dot-separated label must be 1 to 63 letters, "
            "digits or '-' (not at either end)"
        )
    if port is not None and not 1 <= int(port) <= 65535:
        return f"has the port {port}: a port is 1 to 65535"
    return None


class Ga4(_Model):
    measurement_id: Annotated[str, Field(pattern=r"^G-[A-Z0-9]{4,20}$")]
    server_container_url: str

    @field_validator("server_container_url")
    @classmethod
    def _https(cls, value: str) -> str:
        problem = _url_problem(value)
        if problem:
            raise ValueError(f"{value!r} {problem}")
        return value.rstrip("/")


PublicId = Annotated[str, Field(pattern=r"^GTM-[A-Z0-9]{4,12}$")]


class Web(_Model):
    public_id: PublicId | None = None
    ga4: Ga4


class Server(_Model):
    public_id: PublicId | None = None
    forward_ga4: bool = False  # a GA4 tag in the server container forwards every GA4 event


def _env_only(value: str | None) -> str | None:
    if value is None:
        return None
    if not ENV_REFERENCE.fullmatch(value):
        raise ValueError(
            "a literal access token is refused: secrets do not belong in version control; "
            "write env:NAME and set the variable NAME when you build"
        )
    return value


ConsentTypes = tuple[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")], ...]


class TikTok(_Model):
    pixel_id: Annotated[str, Field(pattern=r"^[A-Z0-9]{10,40}$")]
    access_token: str | None = None
    test_event_code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = None
    consent: ConsentTypes = ("ad_storage",)

    @field_validator("access_token")
    @classmethod
    def _env_only(cls, value: str | None) -> str | None:
        return _env_only(value)

    @property
    def access_token_env(self) -> str | None:
        return self.access_token[4:] if self.access_token else None


class Meta(_Model):
    """Meta Pixel (web) + Conversions API (server)."""

    pixel_id: Annotated[str, Field(pattern=r"^[0-9]{5,20}$")]
    access_token: str | None = None
    test_event_code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = None
    consent: ConsentTypes = ("ad_storage",)

    @field_validator("pixel_id", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValueError(f'write the pixel ID as text in quotes, e.g. "{value}"')
        return value

    @field_validator("access_token")
    @classmethod
    def _env_only(cls, value: str | None) -> str | None:
        return _env_only(value)

    @property
    def access_token_env(self) -> str | None:
        return self.access_token[4:] if self.access_token else None


class EventIdSettings(_Model):
    data_layer_key: Text = "event_id"
    prefix: str = "tt_evt_"

    @field_validator("data_layer_key")
    @classmethod
    def _key(cls, value: str) -> str:
        return _data_layer_path(value)

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        return _no_braces(value)


DataLayerPath = Annotated[str, AfterValidator(_data_layer_path)]
PropertyName = Annotated[str, Field(min_length=1), AfterValidator(_plain)]

# Property names gtmgen itself sends on the GA4 hop (gtmgen/build/mapping.py), and every
# event data key the GA4 client sets or the server template reads: a property of the same
# name would overwrite the event ID, the user data, the consent state, the client IP or the
# page URL on the way to TikTok (docs/consent-and-hop.md, "Reserved names").
RESERVED_PROPERTIES = frozenset(
    {
        "event_id",
        "user_data",
        "user_id",
        # GA4 client's common event data (developers.google.com/tag-platform/tag-manager/
        # server-side/common-event-data)
        "client_id",
        "event_name",
        "ip_override",
        "ip",
        "language",
        "page_encoding",
        "page_hostname",
        "page_location",
        "page_path",
        "page_referrer",
        "page_title",
        "screen_resolution",
        "user_agent",
        "user_properties",
        "client_hints",
        "event_location",
        # consent signals (Consent Mode parameters and their common spellings)
        "gcs",
        "gcd",
        "npa",
        "dma",
        "dma_cps",
        "consent",
        "consent_state",
        # GA4's reserved event parameter names ("Event naming rules",
        # https://support.google.com/analytics/answer/13316687)
        "engagement_time_msec",
        "gclid",
        "session_id",
        "session_number",
        "firebase_conversion",
    }
)
# GA4's reserved parameter prefixes (same page), GTM's own data layer keys (gtm.), the hop's
# internal keys (x-ga-*, x-sst-*: "internal parameters" of server-side tagging,
# https://developers.google.com/tag-platform/tag-manager/server-side/internal-parameters)
# and user_data. (it would reach into the user-provided data).
RESERVED_PREFIXES = (
    "_",
    "google_",
    "ga_",
    "firebase_",
    "gtag.",
    "query_id",
    "gtm.",
    "x-",
    "user_data.",
)


def reserved_name(name: str, kind: str = "property") -> str | None:
    """Why ``name`` cannot travel as a GA4 event parameter on the hop, or None."""
    lower = name.lower()
    if lower in RESERVED_PROPERTIES:
        return (
            f"the {kind} name {name!r} is reserved: the GA4 hop or the server container "
            "reads it (event ID, user data, consent, IP, user agent or page)"
        )
    for prefix in RESERVED_PREFIXES:
        if lower.startswith(prefix):
            return (
                f"the {kind} name {name!r} is reserved: names starting with {prefix!r} "
                "belong to GA4 or to the GA4 hop's own keys"
            )
    return None


CountryCode = Annotated[str, Field(pattern=r"^[1-9][0-9]{0,2}$")]


class Matching(_Model):
    default_country_code: CountryCode | None = None

    @field_validator("default_country_code", mode="before")
    @classmethod
    def _digits(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValueError(f'write the country code as text in quotes, e.g. "{value}"')
        if isinstance(value, str) and value.startswith("+"):
            raise ValueError(f"write the country code without '+', e.g. \"{value[1:]}\"")
        return value


class UserData(_Model):
    email: DataLayerPath | None = None
    phone_number: DataLayerPath | None = None
    external_id: DataLayerPath | None = None

    def items(self) -> list[tuple[str, str]]:
        """The mapped fields, in a fixed order."""
        pairs = [
            ("email", self.email),
            ("phone_number", self.phone_number),
            ("external_id", self.external_id),
        ]
        return [(k, v) for k, v in pairs if v is not None]


# Platform event key -> (platform label, its standard events)
STANDARD = {
    "tiktok_event": ("TikTok", frozenset(STANDARD_EVENTS)),
    "meta_event": ("Meta", frozenset(META_STANDARD_EVENTS)),
}


def non_standard_event(name: str, key: str = "tiktok_event") -> str | None:
    """Why ``name`` needs ``custom_event: true`` (with a suggestion), or None if standard."""
    label, standard = STANDARD[key]
    if name in standard:
        return None
    close = difflib.get_close_matches(name, sorted(standard), n=1)
    hint = f"did you mean {close[0]!r}? Or " if close else ""
    return (
        f"{name!r} is not a {label} standard event; {hint}set custom_event: true for a custom event"
    )


class Event(_Model):
    event: Annotated[str, Field(min_length=1), AfterValidator(_plain)]
    tiktok_event: Annotated[str, Field(pattern=f"^{TIKTOK_EVENT.pattern}$")] | None = None
    meta_event: Annotated[str, Field(pattern=f"^{TIKTOK_EVENT.pattern}$")] | None = None
    custom_event: StrictBool = False  # 'yes', 1, 'off' are refused (docs/spec-strictness.md)
    event_id_from: DataLayerPath | None = None
    properties: dict[PropertyName, DataLayerPath] = Field(default_factory=dict)
    user_data: UserData | None = None

    ga4_params: dict[PropertyName, DataLayerPath] = Field(default_factory=dict)

    @field_validator("properties")
    @classmethod
    def _properties(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            message = reserved_name(name)
            if message:
                raise FieldError(name, message)
        if "contents" in value and "items" in value:
            raise FieldError(
                "items",
                "'items' and 'contents' both travel as the GA4 parameter items: map only contents",
            )
        return value

    @field_validator("ga4_params")
    @classmethod
    def _ga4_params(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            message = reserved_name(name, "GA4 parameter")
            if message:
                raise FieldError(name, message)
        return value

    @model_validator(mode="after")
    def _ga4_params_differ(self) -> Event:
        sent = {("items" if k == "contents" else k) for k in self.properties}
        for name in self.ga4_params:
            if name in sent:
                raise FieldError(
                    "ga4_params",
                    f"ga4_params.{name}: the property {name!r} "
                    "already sends this GA4 parameter; map it in one place",
                )
        return self

    @model_validator(mode="after")
    def _standard(self) -> Event:
        if not self.custom_event:
            for key in STANDARD:
                name = getattr(self, key)
                message = non_standard_event(name, key) if name is not None else None
                if message:
                    raise FieldError(key, message)
        return self


class Spec(_Model):
    version: Literal[1]
    name: Text
    web: Web
    server: Server = Server()
    tiktok: TikTok | None = None
    meta: Meta | None = None
    matching: Matching = Matching()
    event_id: EventIdSettings = EventIdSettings()
    events: Annotated[tuple[Event, ...], Field(min_length=1)]

    @field_validator("version", mode="before")
    @classmethod
    def _strict_version(cls, value: Any) -> Any:
        if type(value) is not int:
            raise ValueError(
                f"gtmgen reads spec version 1 only (got {value!r}: true, 1.0 "
                "and '1' are not the integer 1); write version: 1"
            )
        return value

    @model_validator(mode="after")
    def _platforms(self) -> Spec:
        if self.tiktok is None and self.meta is None:
            raise FieldError((), NO_PLATFORM, whole=True)
        blocks = [name for name, _ in PLATFORM_EVENTS if getattr(self, name) is not None]
        for i, event in enumerate(self.events):
            if event.tiktok_event is None and event.meta_event is None:
                raise FieldError(*missing_platform_event(i, blocks), whole=True)
            for key, block in (("tiktok_event", self.tiktok), ("meta_event", self.meta)):
                if getattr(event, key) is not None and block is None:
                    platform = key.removesuffix("_event")
                    raise FieldError(
                        ("events", i, key),
                        f"the spec has no {platform} block; add one or remove {key}",
                    )
        return self

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if _CONTROL.search(value):
            raise ValueError("must not contain control characters or line breaks")
        return visible_name(_no_braces(value))
