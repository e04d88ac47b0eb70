"""Reflex state: auth, tasks (and chat later). Calls services, never SQL."""
