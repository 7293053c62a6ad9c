"""The library every Netral service imports: wire schema, codec, topics, settings, I/O helpers."""
