"""S601: CEOP is offered only for online sexual abuse, grooming and sexual contact."""

from __future__ import annotations

import re
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.checks.rules.context import NOT_FOR_CEOP, SEXUAL_ABUSE, guide_topic, step_subject, text_topic
from generator.checks.rules.language import positive_text, sentences
from generator.checks.rules.registry import outcome_example, rule
from generator.checks.rules.walk import ProjectView

CEOP = re.compile(r"\bCEOP\b|\bChild\s+Exploitation\s+and\s+Online\s+Protection\b", re.IGNORECASE)


@rule(
    code="S601", name="ceop-only-for-sexual-abuse",
    summary="CEOP (in text or in `contacts`) appears only where the concern is online sexual abuse, grooming or "
            "sexual contact with a child, not for bullying, hacking, fake accounts or offensive posts.",
    why="CEOP says it cannot respond to reports of bullying, hacking or fake accounts: a family sent there waits "
        "for help that will not come; the routes are the platform, Report Harmful Content, the police on 101 "
        "for threats, and the DSL",
    source="CEOP Safety Centre, 'What happens when I make a report?' (CEOP, National Crime Agency)",
    failing=outcome_example(
        "bullying_not_stopped", "The bullying has not stopped",
        "If all else fails, report it to CEOP."),
    passing=outcome_example(
        "bullying_not_stopped", "The bullying has not stopped",
        ("Report it to Report Harmful Content, after reporting it to the site.",
         "If someone is threatened, call the police on 101.")),
)
def check_ceop(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_ceop.rule
    reported: set[tuple] = set()
    for text in view.texts():
        if text.kind == "never":
            continue
        step = view.step_of(text)
        for offset, sentence in sentences(text.text):
            match = CEOP.search(sentence)
            if match is None or SEXUAL_ABUSE.search(_what_step_is_about(step, text)):
                continue
            stated = positive_text(sentence)
            if SEXUAL_ABUSE.search(sentence) and not NOT_FOR_CEOP.search(stated):
                continue  # "report grooming to CEOP"; "don't forward nude images: tell CEOP where you saw them"
            if NOT_FOR_CEOP.search(stated) or NOT_FOR_CEOP.search(text_topic(text, step)):
                yield this.diagnostic(text, "CEOP is offered for something that is not sexual abuse or grooming",
                                      fix="send bullying, hacking and fake accounts to the platform, Report Harmful "
                                          "Content, the police (101) for threats, and the DSL; keep CEOP for sexual "
                                          "abuse and grooming", offset=offset + match.start())
                reported.add((text.tree, text.step))
                break
    for step in view.own_steps():
        if "ceop" not in step.contacts or (step.tree.id, step.id) in reported:
            continue
        guide = step.tree
        if any(CEOP.search(s) and SEXUAL_ABUSE.search(s) for t in step.texts() for _, s in sentences(t.text)):
            continue  # its text already says CEOP is for sexual abuse or grooming
        about = _what_step_is_about(step, None)
        if not SEXUAL_ABUSE.search(about) and NOT_FOR_CEOP.search(f"{about} {guide_topic(guide)}"):
            index = [str(c) for c in step.data.get("contacts") or []].index("ceop")
            yield this.diagnostic(step, f"outcome '{step.id}' lists CEOP for something that is not sexual abuse "
                                        "or grooming", loc=("contacts", index),
                                  fix="remove 'ceop' from contacts; list the routes for bullying instead")


def _what_step_is_about(step, text) -> str:
    """A step's subject (not its actions, which may explain what CEOP is for), or a page's section heading:
    if it is about sexual abuse or grooming, the step may name CEOP throughout."""
    if step is None:
        return positive_text(text.section) if text is not None and text.kind == "page" else ""
    return step_subject(step)
