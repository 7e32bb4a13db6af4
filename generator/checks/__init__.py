"""Checks: cross references, the safety rules (one module per rule), the guides' graph, freshness.

Each module is imported by its own name; nothing is re-exported here."""
