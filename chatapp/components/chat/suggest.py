"""`composer_suggest(...)`: auto-complete for the chat composer, a tiny local React module
(`suggest.jsx`) that watches the textarea: `#` suggests the user's tags, a task verb and title
words suggest matching tasks. `on_need` asks for fresh tags and tasks once the user types (at
most every few seconds), never at page load."""

from __future__ import annotations

import reflex as rx
from reflex.components.component import Component, field
from reflex.event import EventHandler, no_args_event_spec
from reflex.vars.base import Var

_JSX = rx.asset("suggest.jsx", shared=True)


class ComposerSuggest(Component):
    library = _JSX.importable_path
    tag = "ComposerSuggest"

    target: Var[str] = field(doc="The id of the textarea to complete.")
    tags: Var[list[str]] = field(doc="The user's tags, most used first.")
    tasks: Var[list] = field(doc="The user's tasks: {id, title, completed}, pending first.")
    on_need: EventHandler[no_args_event_spec] = field(doc="Fresh tags and tasks are wanted.")


composer_suggest = ComposerSuggest.create
