"""The per-file check of a data file against its model, kept between runs (issue 30).

`_validate_model` reads one Source (its values, positions, text and name), the model and whether plain http
addresses are allowed, and nothing else: its answer is cached under a key of exactly those and the tool's code
(:func:`generator.load.file_cache.key_of`). Every check that looks across files (references, the guides' graph,
the public list, the safety rules) still runs on every call, on the models this gives back.

A hand-written page's markup check (:func:`page_markup`) is kept the same way, under its name, text and the http
setting.

A cached answer is the file's diagnostics only: none means the file was valid. On disk (a new `check` process) its
model is made again from its values; in one process (`serve`, the editor) the valid model itself is kept beside
the answer (``ResultCache.share``) and given back while the key is unchanged, so an edit remakes one file's model.
A kept model is shared between runs: the models are frozen (``StrictModel``), and no later step may change one's
lists or mappings in place either; a step that needs it changed makes a copy (``model_copy(update=...)``, as the
guides' shared groups are put in place). tests/checks/test_incremental_check.py renders every valid project it
checks, as `serve` does, and compares the next check's models with a clean one's.
"""

from __future__ import annotations

import json

from pydantic import BaseModel

from generator.checks.pages import _check_page_markup
from generator.checks.schema_messages import _validate_model
from generator.load.diagnostics import Diagnostic
from generator.load.file_cache import ResultCache, diagnostic_from, diagnostic_json, key_of
from generator.load.project import Page
from generator.load.source import Source


def validated_model(source: Source, model: type[BaseModel], diagnostics: list[Diagnostic], allow_http: bool,
                    cache: ResultCache | None):
    """`_validate_model(source, model, diagnostics, allow_http)`, read back from ``cache`` when it holds the answer."""
    if cache is None:
        return _validate_model(source, model, diagnostics, allow_http)
    # What the check reads of the Source: its name, its text and its values. Its positions, quoted values and
    # warnings are the YAML reader's reading of the text; its values may differ from that reading (the trust's
    # policies get the school's name), so they are in the key themselves.
    key = key_of("validate_model", f"{model.__module__}.{model.__qualname__}", "http" if allow_http else "https",
                 source.display, source.text, json.dumps(source.data, ensure_ascii=False))
    kept = cache.shared(_MODEL + key)
    if kept is not None:  # this process validated the same file against the same model: no diagnostics
        return kept
    found = cache.get(key)
    if found is None:
        found = []
        result = _validate_model(source, model, found, allow_http)
        # The whole answer is the diagnostics: a file is valid exactly when it has none (see _validate_model);
        # should that ever not hold, the answer is not kept.
        if (result is None) == bool(found):
            cache.put(key, [diagnostic_json(d) for d in found])
            if result is not None:
                cache.share(_MODEL + key, result)
        diagnostics.extend(found)
        return result
    if found:
        diagnostics.extend(diagnostic_from(d) for d in found)
        return None
    result = model.model_validate(source.data)
    cache.share(_MODEL + key, result)
    return result


_MODEL = "model:"
"""Before a per-file check's key: the valid model itself, kept in this process only (never on disk)."""


def page_markup(page: Page, allow_http: bool, cache: ResultCache | None) -> list[Diagnostic]:
    """`_check_page_markup(page, allow_http)`, read back from ``cache``: it reads the page's name and text (its front
    matter too) and the http setting, nothing else."""
    if cache is None:
        return _check_page_markup(page, allow_http)
    key = key_of("page_markup", "http" if allow_http else "https", page.display, page.text)
    found = cache.get(key)
    if found is None:
        diagnostics = _check_page_markup(page, allow_http)
        cache.put(key, [diagnostic_json(d) for d in diagnostics])
        return diagnostics
    return [diagnostic_from(d) for d in found]
