import reflex as rx

from chatapp.components.chat import chat_workspace
from chatapp.components.layout import page_shell
from chatapp.state.chat import ChatState
from chatapp.state.tasks import TaskState


@rx.page(route="/chat", title="Chat · chatapp", on_load=[TaskState.load, ChatState.load])
def chat() -> rx.Component:
    return page_shell(chat_workspace(), max_width="1480px")
