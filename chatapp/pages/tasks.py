import reflex as rx

from chatapp.components.layout import page_shell
from chatapp.components.task_list import task_panel
from chatapp.state.auth import LOGIN_ROUTE, SIGNUP_ROUTE, TASKS_ROUTE, AuthState
from chatapp.state.tasks import TaskState


@rx.page(route=TASKS_ROUTE, title="Tasks · chatapp", on_load=TaskState.load)
def tasks() -> rx.Component:
    return page_shell(task_panel())


@rx.page(route="/", title="chatapp", on_load=AuthState.on_auth_page_load)
def index() -> rx.Component:
    return page_shell(
        rx.center(
            rx.vstack(
                rx.heading("Talk to your todo list", size="8"),
                rx.text("Add, find and finish tasks by typing what you mean.", color_scheme="gray"),
                rx.hstack(
                    rx.link(rx.button("Create an account", size="3"), href=SIGNUP_ROUTE),
                    rx.link(rx.button("Sign in", size="3", variant="soft"), href=LOGIN_ROUTE),
                ),
                align="center",
                spacing="4",
            ),
            padding_top="15vh",
        )
    )
