"""Small components several panels draw alike: each shape named once, its props passed through."""

from __future__ import annotations

from typing import Any, Literal

import reflex as rx

Variant = Literal["classic", "ghost", "outline", "soft", "solid", "surface"]
Size = Literal["1", "2", "3", "4", "5", "6", "7", "8", "9"]
Spacing = Literal["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]


def icon_button(
    icon: str, label: str | rx.Var, *, icon_size: int = 14, variant: Variant = "ghost", **props
) -> rx.Component:
    """A quiet button that shows only an icon; `label` is its name for screen readers and tests."""
    return rx.icon_button(rx.icon(icon, size=icon_size), aria_label=label, variant=variant, **props)


def button_with_icon(
    icon: str, text: str | rx.Component, *, icon_size: int = 14, **props
) -> rx.Component:
    """A button whose words follow an icon ("+ Add", "Sign out")."""
    return rx.button(rx.icon(icon, size=icon_size), text, **props)


def row(*children: rx.Component, spacing: Spacing = "2", **props) -> rx.Component:
    """Children side by side, centred on one line: an icon and its words, a few buttons."""
    return rx.hstack(*children, align="center", spacing=spacing, **props)


def wrap_row(items: list | rx.Var, render, **props) -> rx.Component:
    """Each item rendered, side by side and wrapping (files, uploads); nothing when there are none."""
    return rx.cond(
        items.length() > 0,  # pyright: ignore[reportAttributeAccessIssue]  -- a list Var
        rx.flex(rx.foreach(items, render), wrap="wrap", spacing="2", align="start", **props),
    )


def blank_slate(
    icon: str,
    *children: rx.Component,
    icon_size: int,
    spacing: Spacing = "2",
    max_width: str | None = None,
    **props,
) -> rx.Component:
    """What an empty panel shows: an icon over a few words, centred (at most `max_width` wide)."""
    width: dict[str, Any] = {"max_width": max_width, "width": "100%"} if max_width else {}
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=icon_size, color=rx.color("accent", 9)),
            *children,
            align="center",
            spacing=spacing,
            **width,
        ),
        **props,
    )


def alert(text: str | rx.Var, **props) -> rx.Component:
    """A red notice behind a warning sign: a reply that failed, an error the user can act on."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert", size=16)),
        rx.callout.text(text),
        color_scheme="red",
        size="1",
        variant="surface",
        **props,
    )


def cancel_button(**props) -> rx.Component:
    """The quiet "Cancel" beside a form's or a dialog's main action; never submits a form."""
    return rx.button("Cancel", type="button", variant="soft", color_scheme="gray", **props)


def icon_text(
    icon: str | rx.Var,
    text: str | rx.Var,
    *after: rx.Component,
    icon_size: int = 12,
    size: Size = "1",
    text_class: str | None = None,
    **props,
) -> rx.Component:
    """A short line of text behind its icon (a task's due date, a page note); `after` follows."""
    text_props: dict[str, Any] = {"class_name": text_class} if text_class else {}
    return row(
        rx.icon(icon, size=icon_size),
        rx.text(text, size=size, **text_props),
        *after,
        spacing="1",
        **props,
    )


def muted(*children: str | int | rx.Var | rx.Component, size: Size = "2", **props) -> rx.Component:
    """Secondary text: a hint, a count, a description under a title."""
    return rx.text(*children, size=size, color_scheme="gray", **props)


def loading_screen(text: str, id: str) -> rx.Component:
    """A spinner and a line of text, centred in the space something is loading into."""
    return rx.center(
        rx.hstack(rx.spinner(size="2"), muted(text), align="center"),
        height="100%",
        id=id,
    )
