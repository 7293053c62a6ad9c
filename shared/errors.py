"""Exceptions named for what they mean, so each failure is sorted where it happens."""


class InvalidMessage(ValueError):
    """Bytes that cannot become the expected type. Never retried: the message goes to the DLQ."""


class InvalidReferenceData(ValueError):
    """A registry, watch-list, routing or policy file that fails validation. The old one stays."""
