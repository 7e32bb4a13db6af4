"""Build: mkdocs build --strict for each site, the guides' steps, the safety gate, the atomic swap.

Each module is imported by its own name; nothing is re-exported here."""
