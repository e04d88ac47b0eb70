"""ChatKit for Reflex: `chatkit(...)` (the reusable component) and `chatkit_panel()` (chatapp's
ready-made panel). Importing this package also registers the /chatkit-demo page."""

from chatapp.components.chatkit import demo as _demo  # noqa: F401  (registers /chatkit-demo)
from chatapp.components.chatkit.component import CHATKIT_REACT, CHATKIT_SCRIPT_URL, ChatKit, chatkit
from chatapp.components.chatkit.panel import chatkit_panel, chatkit_status

__all__ = [
    "CHATKIT_REACT",
    "CHATKIT_SCRIPT_URL",
    "ChatKit",
    "chatkit",
    "chatkit_panel",
    "chatkit_status",
]
