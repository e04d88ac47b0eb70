"""Tasks: the task service (the only code touching Task rows) and its schemas."""
