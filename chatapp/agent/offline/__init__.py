"""The embedded offline model: normalise → named rules → slots and dates → planner → replies."""

from chatapp.agent.offline.model import DEFAULT_MODEL_NAME, OfflineModel, OfflineModelProvider

__all__ = ["DEFAULT_MODEL_NAME", "OfflineModel", "OfflineModelProvider"]
