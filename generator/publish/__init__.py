"""Publish: a built site to its server, the offline bundle.

Each module is imported by its own name; nothing is re-exported here."""
