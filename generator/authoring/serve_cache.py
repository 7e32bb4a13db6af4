"""The live preview's cache of each file's parse and checks, which drops what the last saves did not ask for.

``generator serve`` keeps one ``ResultCache`` for the whole session (issue 30): a save parses and checks again only
the files that changed, and puts the new results in. Nothing was ever taken out, so an afternoon of saves kept every
version of every file edited (about four entries a save). ``SessionCache`` notes the keys each regeneration asks
for or adds, and after it drops the entries neither it nor the one before asked for: a file changed and changed back
within two saves is still found, and a save that stopped at an error keeps the last good results for one more save.
What is dropped is only work to do again, never a result to trust: a key names everything its value was made from.
"""

from __future__ import annotations

from typing import Any

from generator.load.file_cache import ResultCache


class SessionCache(ResultCache):
    """A ResultCache in memory only, whose entries last while one of the last two regenerations used them."""

    def __init__(self):
        super().__init__()
        self._asked: set[str] = set()
        self._asked_before: set[str] = set()

    def get(self, key: str) -> Any | None:
        self._asked.add(key)
        return super().get(key)

    def put(self, key: str, value: Any) -> None:
        self._asked.add(key)
        super().put(key, value)

    def shared(self, key: str) -> Any | None:
        self._asked.add(key)
        return super().shared(key)

    def share(self, key: str, value: Any) -> None:
        self._asked.add(key)
        super().share(key, value)

    def entries(self) -> int:
        """How many values are kept (the memory the session holds): for the tests."""
        return len(self._memory) + len(self._shared)

    def drop_unasked(self) -> None:
        """After a regeneration: drop what neither it nor the one before asked for."""
        keep = self._asked | self._asked_before
        for store in (self._memory, self._shared):
            for key in [key for key in store if key not in keep]:
                del store[key]
        self._asked_before, self._asked = self._asked, set()
