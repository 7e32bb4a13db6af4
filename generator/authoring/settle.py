"""What a process that stays up (``serve``, the editor) does once its first check has filled its caches (issue 30).

``gc.freeze()`` moves every object alive then out of the cycle collector's reach. Such a process keeps them all for
the session (each file's model and positions, each guide's output, the imported modules), and a full collection
scanned them all again at most saves: 0.12-0.25 s of a save at 10x, timed in the server by a gc callback (0.04-0.10 s
frozen). What a save makes is still collected. Once only, not at each save: a frozen object is never collected, and
what a save leaves behind in cycles (MkDocs' pages and navigation of each build) becomes garbage at the next.
"""

from __future__ import annotations

import gc


def settle() -> None:
    gc.collect()  # what the first check left as garbage is freed, not kept for the session
    gc.freeze()


_settled = False


def settle_once() -> None:
    """:func:`settle`, the first time a process asks: the editor's first check (a process may start several sessions,
    as the tests do; freezing at each would keep each one's garbage for good)."""
    global _settled
    if not _settled:
        _settled = True
        settle()
