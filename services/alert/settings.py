"""Alert's settings are declared with the others in :mod:`shared.settings`."""

from shared.settings import AlertSettings

__all__ = ["AlertSettings"]
