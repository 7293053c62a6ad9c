"""JSON-lines logging. Records carry ``event_id`` / ``account_id`` when passed via ``extra``."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import orjson

from shared.settings import LogSettings

_CONTEXT_FIELDS = ("event_id", "account_id", "case_id", "channel", "topic", "service")


class JsonFormatter(logging.Formatter):
    converter = staticmethod(time.gmtime)

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for field in _CONTEXT_FIELDS:
            value = record.__dict__.get(field)
            if value is not None:
                entry[field] = value
        data = record.__dict__.get("data")
        if data is not None:
            entry["data"] = data
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


def configure(settings: LogSettings, service: str) -> None:
    """Replace the root handlers: one stderr handler, JSON or text, at the configured level.

    aiokafka and faust stay at WARNING: at DEBUG aiokafka formats a record for every message.
    """
    handler = logging.StreamHandler(sys.stderr)
    if settings.format == "json":
        formatter: logging.Formatter = JsonFormatter(service)
    else:
        formatter = logging.Formatter(f"%(asctime)s {service} %(levelname)s %(name)s: %(message)s")
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.level)
    for noisy in ("aiokafka", "faust", "mode", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
