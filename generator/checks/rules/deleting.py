"""S202: nobody is told to delete content before it has been reported."""

from __future__ import annotations

import re
from typing import Iterator

from generator.load.diagnostics import Diagnostic
from generator.checks.rules.context import NOT_FOR_CEOP, SEXUAL_ABUSE, text_topic
from generator.checks.rules.language import instructions, sentences
from generator.checks.rules.registry import outcome_example, rule
from generator.checks.rules.walk import ProjectView

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


# Reporting services whose whole point is to have the image taken down: asking them to remove it is the report.
_REMOVAL_IS_THE_REPORT = re.compile(r"\bReport\s+Remove\b|\bTake\s+It\s+Down\b|\bIWF\b|"
                                    r"\bInternet\s+Watch\s+Foundation\b", re.IGNORECASE)
_REPORT = r"report|flag"
# A report, then removal, in that order in one sentence ("Report it to the site, then close it").
_REPORT_FIRST = re.compile(rf"\b(?:{_REPORT})\b[^.;]*?\b(?:then|and\s+then|afterwards|after\s+that)\b",
                           re.IGNORECASE)


def _reported_in_earlier_actions(text, step) -> bool:
    """Did an earlier action of the same step already tell the reader to report it (in `actions` order)?"""
    if step is None or text.kind != "action":
        return False
    for entry in step.entries:  # an either group reports it only if every alternative does
        if any(action.text is text for action in entry):
            return False
        if all(any(True for _, sentence in sentences(action.text.text) for _ in instructions(sentence, _REPORT))
               for action in entry):
            return True
    return False


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
    false_alarms=(
        ("removal through Report Remove, which is the report itself", outcome_example(
            "nude_image_online", "A nude image of a pupil has been put online",
            "Help the young person remove the image using Report Remove.")),
        ("closing the page after the step has already reported it", """\
  - kind: outcome
    id: harmful_page
    title: A harmful page about a pupil
    actions:
      - text: Tell the DSL now.
        who: you
        when: immediately
      - text: Report the page to the site.
        who: you
      - text: Note the web address, then close the page and clear it from the screen.
        who: you
    contacts: [dsl]
    related_trees: [dsl-cannot-be-reached]"""),
    ),
)
def check_deleting(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_deleting.rule
    for text in view.texts():
        if text.kind == "never":
            continue
        reported = _reported_in_earlier_actions(text, view.step_of(text))
        for offset, sentence in sentences(text.text):
            if reported or _AFTER_REPORT.search(sentence) or _NOT_DELETING.search(sentence) or \
                    _REMOVAL_IS_THE_REPORT.search(sentence):
                continue
            if any(True for _ in instructions(sentence, _REPORT)):
                reported = True  # "Report it to the site, then remove it": the sentence reports first
                if _REPORT_FIRST.search(sentence):
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
