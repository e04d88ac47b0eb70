"""Time zones are checked in one place (chatapp.timezones), for every door."""

from __future__ import annotations

import pytest

from chatapp.timezones import UnknownZone, known_zone, valid_zone, zone_or_default


def test_a_zone_name_is_trimmed_and_an_empty_one_is_utc():
    assert valid_zone(" Europe/Paris ") == "Europe/Paris"
    assert valid_zone("") == valid_zone(None) == "UTC"


@pytest.mark.parametrize("bad", ["Mars/Olympus", "../etc/passwd", "Europe/", "   "])
def test_an_unknown_zone_is_refused_or_falls_back_to_utc(bad):
    with pytest.raises(UnknownZone, match="unknown time zone"):
        valid_zone(bad)
    assert zone_or_default(bad).key == "UTC"
    assert known_zone(bad) is None


def test_known_zone_is_none_for_no_name_and_the_zone_otherwise():
    assert known_zone("") is None and known_zone(None) is None
    zone = known_zone("Asia/Tokyo")
    assert zone is not None and zone.key == "Asia/Tokyo"
