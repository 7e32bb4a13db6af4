"""Render: the validated project into each site's Markdown, includes and MkDocs config.

Each module is imported by its own name; nothing is re-exported here."""
