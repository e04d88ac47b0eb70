"""`chat_code_block(code, language)`: a fenced code block of the native chat, syntax-highlighted
by highlight.js loaded on demand (`code_block.jsx`): the page ships this tiny module, and the
highlighter's core and the block's one language arrive only when a reply holds code."""

from __future__ import annotations

import reflex as rx
from reflex.components.component import Component, field
from reflex.vars.base import Var

HIGHLIGHT_JS = "highlight.js@11.11.1"
_JSX = rx.asset("code_block.jsx", shared=True)


class ChatCodeBlock(Component):
    library = _JSX.importable_path
    tag = "ChatCodeBlock"
    lib_dependencies: list[str] = [HIGHLIGHT_JS]

    code: Var[str] = field(doc="The block's text.")
    language: Var[str] = field(doc="Its fence's language tag ('' to guess).")


def chat_code_block(code, language="", **_props) -> rx.Component:
    return ChatCodeBlock.create(code=code, language=language)
