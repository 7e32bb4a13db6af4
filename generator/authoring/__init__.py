"""Authoring commands: init, new, import, diff, schema, serve.

Each module is imported by its own name; nothing is re-exported here."""
