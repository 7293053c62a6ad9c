"""Where events come from: the HTTP API, file replay, and (later) platform adapters."""
