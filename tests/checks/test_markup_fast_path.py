"""markup.find_problems skips text holding none of '<', '{', ']' (issue 17: most data text has none, and it
ran on 146,000 strings at 55x). The skip must never hide a finding: for the adversarial corpus
(tests/security/corpus.yml), each variant alone and inside ordinary words, and for random strings over the
characters the checks look at, the result equals running every check (the code before the skip).
Planted: dropping ']' from the skip's condition turns this red (links and references go unchecked)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from generator.checks import markup

CORPUS = Path(__file__).resolve().parents[1] / "security" / "corpus.yml"
VARIANTS = [v["text"].replace("{m}", "7") for v in yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["variants"]]


def _every_check(text: str, allow_http: bool, page: bool) -> list:
    scanned = markup.mask_code(text) if page else text
    found = markup._raw_html(scanned, allow_http, page) + markup._snippets(scanned)
    found += markup._attribute_lists(scanned) + markup._targets(scanned, allow_http)
    return sorted(found, key=lambda f: f.offset)


def _texts() -> list[str]:
    rng = random.Random(17)
    alphabet = "<>[](){}:!-8;/\\ajvs \n`~&#=\"'@.h"
    texts = VARIANTS + [f"See the policy. {v} Then tell the DSL." for v in VARIANTS]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    texts += ["Plain words only.", "--8<-- file.md", ";;8<;; x", "{: onclick=x }", "[a]: javascript:x", "<b>"]
    return texts


@pytest.mark.parametrize("page", [False, True])
@pytest.mark.parametrize("allow_http", [False, True])
def test_the_skip_never_hides_a_finding(page, allow_http):
    flagged = 0
    for text in _texts():
        expected = _every_check(text, allow_http, page)
        assert markup.find_problems(text, allow_http, page=page) == expected, repr(text)
        flagged += bool(expected)
    assert flagged > len(VARIANTS)  # the corpus really exercises the checks
