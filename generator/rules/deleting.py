"""S202: nobody is told to delete content before it has been reported."""

from __future__ import annotations

import re
from typing import Iterator

from generator.diagnostics import Diagnostic
from generator.rules.context import NOT_FOR_CEOP, SEXUAL_ABUSE, text_topic
from generator.rules.language import instructions, sentences
from generator.rules.registry import outcome_example, rule
from generator.rules.walk import ProjectView

_DELETE = r"delete|erase|wipe|clear|get\s+rid\s+of|remove"
_CONTENT = re.compile(r"\b(?:it|them|this|these|that|content|posts?|comments?|messages?|images?|photos?|pictures?|"
                      r"videos?|chats?|pages?|evidence|screenshots?|what\s+(?:you|they)\s+can|anything|everything)\b",
                      re.IGNORECASE)
# Deleting is fine once the report is made ("once the platform has confirmed your report, …").
_AFTER_REPORT = re.compile(r"\b(?:after|once|when)\b[^.;]{0,60}\breport(?:ed|ing|s)?\b", re.IGNORECASE)
# Something that may have to be reported: harm to someone, not tidying one's own posts.
_REPORTABLE = re.compile(r"\breport\w*|\bevidence\b|\bthreat\w*|\babus\w*|\bharm\w*|\bcrime\b|\bpolice\b",
                         re.IGNORECASE)
# "remove" an account's access, "remove the child from the situation": only removing content counts,
# and asking the platform or poster to remove it is the report itself.
_NOT_DELETING = re.compile(r"\b(?:ask|request|get)\b[^.;]{0,40}\bto\s+(?:remove|delete|take)", re.IGNORECASE)


@rule(
    code="S202", name="report-before-deleting",
    summary="No text tells anyone to delete, erase or remove content (messages, posts, images) unless it says "
            "this happens after the content has been reported.",
    why="deleted content cannot be reviewed by the platform, Report Harmful Content or the police, and may be "
        "the evidence that protects a child",
    source="KCSIE 2025 Part one, child-on-child abuse, and UKCIS 2024 (do not delete imagery or ask a child to "
           "delete it; the DSL decides); Report Harmful Content guidance (keep evidence until the report is made)",
    failing=outcome_example(
        "bullied_in_a_group_chat", "A pupil is being bullied in a group chat",
        "Help the pupil delete what they can, then report the account."),
    passing=outcome_example(
        "bullied_in_a_group_chat", "A pupil is being bullied in a group chat",
        ("Help the pupil report the account to the site. Don't delete anything",
         "until it has been reported and the DSL agrees.")),
)
def check_deleting(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_deleting.rule
    for text in view.texts():
        if text.kind == "never":
            continue
        for offset, sentence in sentences(text.text):
            if _AFTER_REPORT.search(sentence) or _NOT_DELETING.search(sentence):
                continue
            for where, verb in instructions(sentence, _DELETE):
                window = " ".join(verb.after.split()[:6])
                if not _CONTENT.search(window) or re.match(r"\s*(?:the\s+)?(?:app|account)\b", verb.after):
                    continue
                topic = f"{text.text} {text_topic(text, view.step_of(text))}"
                if any(p.search(topic) for p in (_REPORTABLE, NOT_FOR_CEOP, SEXUAL_ABUSE)):
                    yield this.diagnostic(text, f"'{' '.join(verb.verb.split()).lower()}' before the content has "
                                                "been reported", offset=offset + where,
                                          fix="report first (to the platform, Report Harmful Content or the DSL) and "
                                              "say \"Don't delete anything until it has been reported\"")
                    break  # one diagnostic per sentence
                # else: "remove anything embarrassing from your own profile" before you start: nothing to report
