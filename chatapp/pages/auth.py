import reflex as rx

from chatapp.components.auth_forms import auth_card
from chatapp.components.layout import page_shell
from chatapp.state.auth import LOGIN_ROUTE, SIGNUP_ROUTE, AuthState


def _centered(card: rx.Component) -> rx.Component:
    return page_shell(rx.center(card, padding_top=["16px", "64px"]), max_width="480px")


@rx.page(route=LOGIN_ROUTE, title="Sign in · chatapp", on_load=AuthState.on_auth_page_load)
def login() -> rx.Component:
    return _centered(auth_card(signing_up=False))


@rx.page(route=SIGNUP_ROUTE, title="Sign up · chatapp", on_load=AuthState.on_auth_page_load)
def signup() -> rx.Component:
    return _centered(auth_card(signing_up=True))
