"""Netral's three services in flow order: ingest -> classify -> alert, plus the `netral` CLI."""
