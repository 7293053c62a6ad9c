"""classify: score each event per violation category, with evidence, under a versioned policy."""
