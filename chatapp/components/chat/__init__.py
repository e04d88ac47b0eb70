"""The chat's components: the page's workspace (`workspace.chat_workspace`), the native chat, and
the plain rows they render (`items`, data only, so ChatState can import them without importing
any component)."""
