"""alert: threshold verdicts, dedup into cases (Redis), route along the org chain, notify."""
