import reflex as rx

from chatapp.components.chat.workspace import chat_workspace
from chatapp.components.layout import page_shell
from chatapp.state.auth import CHAT_ROUTE
from chatapp.state.chat import ChatState
from chatapp.state.tasks import TaskState


# The chat first, and the task list read in the background: the composer is what the visitor
# came for (docs/PERFORMANCE.md, benchmark 5). Without a valid session ChatState.load does
# nothing and TaskState.load_beside_chat sends the visitor to sign in.
@rx.page(
    route=CHAT_ROUTE,
    title="Chat · chatapp",
    on_load=[ChatState.load, TaskState.load_beside_chat],
)
def chat() -> rx.Component:
    return page_shell(chat_workspace(), max_width="1480px")
