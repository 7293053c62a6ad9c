"""ingest: accept events, validate, keep only registered ASN accounts, dedup, publish to Kafka."""
