"""How the offline model compiles its patterns: case-blind, since people type commands in any
case. Said once here rather than as a flag beside each of some two hundred patterns."""

from __future__ import annotations

import re


def nocase(source: str) -> re.Pattern[str]:
    """`source` compiled to match whatever the case of the words."""
    return re.compile(source, re.IGNORECASE)


def nocase_dotall(source: str) -> re.Pattern[str]:
    """As `nocase`, and `.` also matches a line break: for a pattern over a whole message."""
    return re.compile(source, re.IGNORECASE | re.DOTALL)
