"""The agent layer: the embedded offline model (agent definition and model selection live here too)."""

from chatapp.agent.offline import OfflineModel, OfflineModelProvider

__all__ = ["OfflineModel", "OfflineModelProvider"]
