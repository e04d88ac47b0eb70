"""Time zones, checked in one place: every door turns a name it was given into an IANA name here."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "UTC"


class UnknownZone(ValueError):
    """A name that is not an IANA time zone; the message says how to fix it."""


def valid_zone(name: str | None) -> str:
    """The IANA name of `name` (DEFAULT_ZONE when empty), or UnknownZone."""
    if not name:
        return DEFAULT_ZONE
    try:
        return ZoneInfo(name.strip()).key
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise UnknownZone(
            f"unknown time zone '{name}': use an IANA name such as Europe/Paris"
        ) from exc


def known_zone(name: str | None) -> ZoneInfo | None:
    """The zone `name` names, or None when it is empty or not an IANA name."""
    if not name:
        return None
    try:
        return ZoneInfo(valid_zone(name))
    except UnknownZone:
        return None


def zone_or_default(name: str | None) -> ZoneInfo:
    """The zone a browser reports, or DEFAULT_ZONE when it reports none or an unknown one."""
    return known_zone(name) or ZoneInfo(DEFAULT_ZONE)
