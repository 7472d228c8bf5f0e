"""The pydantic model of spec format version 1 (shared/spec-format.md).

Frozen, ``extra="forbid"``: a typo is an error, never a silently ignored key.
"""

from __future__ import annotations

import difflib
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gtmgen.spec.tiktok_events import STANDARD_EVENTS

_DL_PATH = re.compile(r"^[^.]+(\.[^.]+)*$")


def _no_braces(value: str) -> str:
    # GTM reads {{Name}} in any parameter value as a variable reference and has no escape.
    if "{{" in value or "}}" in value:
        raise ValueError(
            "must not contain '{{' or '}}': GTM would read it as a variable reference"
        )
    return value


def _data_layer_path(value: str) -> str:
    _no_braces(value)
    if not _DL_PATH.match(value) or value != value.strip():
        raise ValueError(
            f"{value!r} is not a data layer path: use dot-separated keys such as ecommerce.value"
        )
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1)]


class Ga4(_Model):
    measurement_id: Annotated[str, Field(pattern=r"^G-[A-Z0-9]{4,20}$")]
    server_container_url: str

    @field_validator("server_container_url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s{}\"'<>\\]*)?$", value):
            raise ValueError(
                f"{value!r} is not an https URL (expected e.g. https://sgtm.example.com)"
            )
        return value.rstrip("/")


PublicId = Annotated[str, Field(pattern=r"^GTM-[A-Z0-9]{4,12}$")]


class Web(_Model):
    public_id: PublicId | None = None
    ga4: Ga4


class Server(_Model):
    public_id: PublicId | None = None


class TikTok(_Model):
    pixel_id: Annotated[str, Field(pattern=r"^[A-Z0-9]{10,40}$")]
    access_token: str | None = None
    test_event_code: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")] | None = None
    consent: tuple[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")], ...] = (
        "ad_storage",
    )

    @field_validator("access_token")
    @classmethod
    def _env_only(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not re.match(r"^env:[A-Za-z_][A-Za-z0-9_]*$", value):
            raise ValueError(
                "a literal access token is refused: secrets do not belong in version control; "
                "write env:NAME and set the variable NAME when you build"
            )
        return value

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


class UserData(_Model):
    email: str | None = None
    phone_number: str | None = None
    external_id: str | None = None

    @field_validator("email", "phone_number", "external_id")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        return None if value is None else _data_layer_path(value)

    def items(self) -> list[tuple[str, str]]:
        """The mapped fields, in a fixed order."""
        pairs = [
            ("email", self.email),
            ("phone_number", self.phone_number),
            ("external_id", self.external_id),
        ]
        return [(k, v) for k, v in pairs if v is not None]


class Event(_Model):
    event: Text
    tiktok_event: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,99}$")]
    custom_event: bool = False
    event_id_from: str | None = None
    properties: dict[str, str] = Field(default_factory=dict)
    user_data: UserData | None = None

    @field_validator("event")
    @classmethod
    def _event(cls, value: str) -> str:
        return _no_braces(value)

    @field_validator("event_id_from")
    @classmethod
    def _from(cls, value: str | None) -> str | None:
        return None if value is None else _data_layer_path(value)

    @field_validator("properties")
    @classmethod
    def _properties(cls, value: dict[str, str]) -> dict[str, str]:
        for name, path in value.items():
            if not name:
                raise ValueError("property names must not be empty")
            _no_braces(name)
            _data_layer_path(path)
        return value

    @model_validator(mode="after")
    def _standard(self) -> Event:
        if not self.custom_event and self.tiktok_event not in STANDARD_EVENTS:
            close = difflib.get_close_matches(self.tiktok_event, sorted(STANDARD_EVENTS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ValueError(
                f"tiktok_event {self.tiktok_event!r} is not a TikTok standard event; "
                f"{hint}set custom_event: true for a custom event"
            )
        return self


class Spec(_Model):
    version: Literal[1]
    name: Text
    web: Web
    server: Server = Server()
    tiktok: TikTok
    event_id: EventIdSettings = EventIdSettings()
    events: Annotated[tuple[Event, ...], Field(min_length=1)]

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _no_braces(value)
