"""Notification channels, one module each, behind the small protocol in ``base``."""
