"""Consent Mode state of a simulated page: which consent types are granted.

One value shared by the web runtime (which tags fire, what the templates' consent API
answers) and the GA4 hop (the ``gcs``/``gcd`` signals the server container reads).
"""

from __future__ import annotations

from dataclasses import dataclass

from gtmgen.errors import InputError, Problem

CONSENT_TYPES = ("ad_storage", "analytics_storage", "ad_user_data", "ad_personalization")


@dataclass(frozen=True)
class ConsentState:
    """The granted consent types; every other type in ``CONSENT_TYPES`` is denied.

    ``None`` for ``granted`` means Consent Mode is not in use on the page: every check
    passes, as it does in GTM when no default was ever set.
    """

    granted: frozenset[str] | None = None

    def is_granted(self, consent_type: str) -> bool:
        return self.granted is None or consent_type in self.granted

    @property
    def in_use(self) -> bool:
        return self.granted is not None

    def with_granted(self, *types: str) -> ConsentState:
        return ConsentState((self.granted or frozenset()) | frozenset(types))


def parse_consent(text: str, *, source: str = "--consent") -> ConsentState:
    """``ad_storage=denied,ad_user_data=granted``: types not named are granted."""
    granted = set(CONSENT_TYPES)
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip().lower()
        if not sep or name not in CONSENT_TYPES or value not in ("granted", "denied"):
            raise InputError(
                [
                    Problem(
                        source,
                        f"expected TYPE=granted|denied with TYPE one of "
                        f"{', '.join(CONSENT_TYPES)}; got {item!r}",
                    )
                ]
            )
        if value == "granted":
            granted.add(name)
        else:
            granted.discard(name)
    return ConsentState(frozenset(granted))
