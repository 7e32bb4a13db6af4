"""How the safety rules read a sentence: instruction or description, negated or not (generator/checks/rules/language.py).

Each row is a wording an author could write; the expected reading is a safeguarding lead's, by hand.
"""

from __future__ import annotations

import pytest

from generator.checks.rules.images import HANDLING, _handles_image
from generator.checks.rules.language import instructions, positive_text
from generator.checks.rules.secrecy import _promise

HANDLES_AN_IMAGE = [
    ("Take a screenshot of the image as evidence.", True),
    ("Forward the photo to the DSL.", True),
    ("Save a copy of the picture on the school system.", True),
    ("Describe the image, then forward it to the DSL.", True),
    ("Ask the pupil to send you the photo.", True),
    ("You may need to look at the image to decide.", True),
    ("Staff should view the image before deciding.", True),
    ("It is important to view the image.", True),
    ("Confiscate the phone and look through it for other images.", True),
    ("Never copy, forward or screenshot the image.", False),
    ("Don't look at it again: tell the DSL.", False),
    ("Describe it in words: don't copy it.", False),
    ("Do not forward or save any image, even to report it.", False),
    ("Staff should never view the image.", False),
    ("A pupil may show you an image.", False),
    ("Someone might send your child a nude.", False),
    ("Keep the device secure and give it to the DSL.", False),
    ("Tell them that you will need to pass it on to someone whose job is to help keep them safe.", False),
    ("If you cannot reach the DSL, keep the phone switched off.", False),
]


@pytest.mark.parametrize("sentence, expected", HANDLES_AN_IMAGE, ids=[s for s, _ in HANDLES_AN_IMAGE])
def test_handling_an_image(sentence, expected):
    found = any(_handles_image(verb.verb, verb.after) for _, verb in instructions(sentence, HANDLING))
    assert found is expected


PROMISES_SECRECY = [
    ("I promise not to tell.", True),
    ("Reassure the child and promise not to tell anyone what they said.", True),
    ("Tell them you won't tell anyone.", True),
    ("Reassure the child that it's between the two of you.", True),
    ("Agree to keep the secret.", True),
    ("Say you'll keep it secret.", True),
    ("Promise confidentiality.", True),
    ("Tell the child it will stay confidential.", True),
    ("Never promise to keep it secret.", False),
    ("Explain that you cannot keep it secret.", False),
    ("Tell the child you cannot promise it will stay secret.", False),
    ("Keep it confidential: share it only with the DSL.", False),
    ("Asking your child to keep your conversations secret is a warning sign.", False),
]


@pytest.mark.parametrize("sentence, expected", PROMISES_SECRECY, ids=[s for s, _ in PROMISES_SECRECY])
def test_promising_secrecy(sentence, expected):
    assert (_promise(sentence) is not None) is expected


def test_a_negation_in_a_condition_reaches_only_its_clause():
    """'If you cannot reach the DSL, screenshot it' still tells the reader to screenshot it."""
    stated = positive_text("If you cannot reach the DSL, screenshot the image.")
    assert "cannot reach" not in stated and stated.endswith(", screenshot the image.")
    assert any(instructions("If you cannot reach the DSL, screenshot the image.", HANDLING))


@pytest.mark.parametrize("never_first", [True, False], ids=["never-item-asked-first", "action-asked-first"])
def test_a_never_items_first_part_is_a_prohibition_whichever_is_asked_first(never_first):
    # Bug: `prohibition` dropped (or left out of the cached answer's key, issue 30), so a `never` item written
    # without "never" ("Forward it to the DSL: screenshot it instead" under "Never…") read as an instruction to
    # forward, or an action with the same words read as a prohibition because the item was asked first.
    sentence = "Forward the image to anyone: screenshot it instead"
    asked = [True, False] if never_first else [False, True]
    verbs = {prohibition: [m.verb.lower() for _, m in instructions(sentence, HANDLING, prohibition=prohibition)]
             for prohibition in asked}
    assert verbs[False] == ["forward", "screenshot"]  # an action: both are instructions
    assert verbs[True] == ["screenshot"]  # a never item: only what follows its first part


@pytest.mark.parametrize("never_first", [True, False], ids=["never-item-asked-first", "action-asked-first"])
def test_a_promise_in_a_never_items_first_part_is_forbidden_not_made_whichever_is_asked_first(never_first):
    # Bug: the secrecy test's `prohibition` dropped or left out of its cache's key: "Promise to keep it secret"
    # listed under "Never…" reported as a promise (S301 on a safe step), or an action saying it let through.
    sentence = "Promise the child you will keep it secret"
    asked = [True, False] if never_first else [False, True]
    found = {prohibition: _promise(sentence, prohibition=prohibition) for prohibition in asked}
    assert found[True] is None
    assert found[False] is not None
