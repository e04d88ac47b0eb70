"""A tab's reminder clock (see component.py)."""
