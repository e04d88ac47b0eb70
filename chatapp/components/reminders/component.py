"""`reminder_ticker(...)`: a tab's reminder clock, a tiny local React module (`ticker.jsx`).

It calls `on_tick(time_zone)` when a page mounts and every `interval_ms` while the tab stays
open, and reports the browser's Notification permission with `on_permission`; raising
`ask_permission` asks the browser for it (only ever after the user clicked something).
"""

from __future__ import annotations

import reflex as rx
from reflex.components.component import Component, field
from reflex.event import EventHandler, passthrough_event_spec
from reflex.vars.base import Var

_JSX = rx.asset("ticker.jsx", shared=True)
_text = passthrough_event_spec(str)


class ReminderTicker(Component):
    library = _JSX.importable_path
    tag = "ReminderTicker"

    interval_ms: Var[int] = field(doc="How often on_tick fires while the tab is open.")
    ask_permission: Var[int] = field(doc="Raise it to ask for the Notification permission.")
    on_tick: EventHandler[_text] = field(doc="→ the browser's IANA time zone")
    on_permission: EventHandler[_text] = field(
        doc="→ 'default', 'granted', 'denied' or 'unsupported'"
    )


reminder_ticker = ReminderTicker.create
