"""Sign-in and sign-up cards."""

from __future__ import annotations

from typing import Literal

import reflex as rx

from chatapp.auth.accounts import PASSWORD_MIN_LENGTH
from chatapp.components.ui import muted
from chatapp.state.auth import LOGIN_ROUTE, SIGNUP_ROUTE, AuthState


def _field(
    label: str, name: str, type_: Literal["email", "password"], placeholder: str, **props
) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=name, class_name="rt-Text rt-r-size-2 rt-r-weight-medium"),
        rx.input(
            id=name,
            name=name,
            type=type_,
            placeholder=placeholder,
            required=True,
            size="3",
            width="100%",
            **props,
        ),
        spacing="1",
        width="100%",
    )


def _callout_if_set(text: rx.Var | str, **props) -> rx.Component:
    return rx.cond(text != "", rx.callout(text, size="1", **props))


def _messages() -> rx.Component:
    return rx.fragment(
        _callout_if_set(AuthState.auth_notice, icon="info", color_scheme="blue", id="auth-notice"),
        _callout_if_set(
            AuthState.auth_error,
            icon="triangle-alert",
            color_scheme="red",
            id="auth-error",
            role="alert",
        ),
    )


def auth_card(signing_up: bool) -> rx.Component:
    title = "Create your account" if signing_up else "Welcome back"
    fields = [
        _field(
            "Email", "email", "email", "you@example.com", auto_complete="email", auto_focus=True
        ),
        _field(
            "Password",
            "password",
            "password",
            f"At least {PASSWORD_MIN_LENGTH} characters" if signing_up else "Your password",
            auto_complete="new-password" if signing_up else "current-password",
            min_length=PASSWORD_MIN_LENGTH if signing_up else 1,
        ),
    ]
    if signing_up:
        fields.append(
            _field(
                "Confirm password",
                "confirm",
                "password",
                "Type it again",
                auto_complete="new-password",
            )
        )
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(title, size="6"),
                muted("Talk to your todo list." if signing_up else "Sign in to your tasks."),
                _messages(),
                *fields,
                rx.button(
                    rx.cond(AuthState.submitting, rx.spinner(size="2"), rx.fragment()),
                    "Create account" if signing_up else "Sign in",
                    type="submit",
                    size="3",
                    width="100%",
                    # The prerendered form is visible before the app's JavaScript runs: a
                    # submit then would be the browser's own GET, credentials in the URL.
                    disabled=AuthState.submitting | ~rx.State.is_hydrated,  # pyright: ignore[reportArgumentType]  -- a Var at run time; Reflex types is_hydrated as a plain bool
                    id="auth-submit",
                ),
                rx.text(
                    "Already have an account? " if signing_up else "New here? ",
                    rx.link(
                        "Sign in" if signing_up else "Create an account",
                        href=LOGIN_ROUTE if signing_up else SIGNUP_ROUTE,
                    ),
                    size="2",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=lambda form_data: AuthState.submit_credentials(form_data, signing_up),
            reset_on_submit=False,
            width="100%",
        ),
        size="4",
        width="100%",
        max_width="420px",
    )
