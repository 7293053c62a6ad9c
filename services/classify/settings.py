"""Classify's settings are declared with the others in :mod:`shared.settings`."""

from shared.settings import ClassifySettings

__all__ = ["ClassifySettings"]
