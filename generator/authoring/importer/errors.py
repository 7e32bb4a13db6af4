"""The one exception the importer raises for the author: why nothing was written, and what to do."""


class ImportFailure(Exception):
    """The message names the file and what to do instead; it never quotes the file's content."""
