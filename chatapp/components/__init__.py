"""Reflex UI building blocks: functions returning components; no DB, no agent."""
