"""Time zones are checked in one place (chatapp.timezones), for every door."""

from __future__ import annotations

import pytest

from chatapp.timezones import UnknownZone, valid_zone, zone_or_default


def test_a_zone_name_is_trimmed_and_an_empty_one_is_utc():
    assert valid_zone(" Europe/Paris ") == "Europe/Paris"
    assert valid_zone("") == valid_zone(None) == "UTC"


@pytest.mark.parametrize("bad", ["Mars/Olympus", "../etc/passwd", "Europe/", "   "])
def test_an_unknown_zone_is_refused_or_falls_back_to_utc(bad):
    with pytest.raises(UnknownZone, match="unknown time zone"):
        valid_zone(bad)
    assert zone_or_default(bad).key == "UTC"
