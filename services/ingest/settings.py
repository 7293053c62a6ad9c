"""Ingest's settings are declared with the others in :mod:`shared.settings`."""

from shared.settings import IngestSettings

__all__ = ["IngestSettings"]
