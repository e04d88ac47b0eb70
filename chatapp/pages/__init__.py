"""Pages compose components and attach on_load events."""
