"""Data in: the school's files read with their positions, the models that validate them, the project.

Each module is imported by its own name; nothing is re-exported here."""
