"""S201: no text tells anyone to view, copy, keep or pass on a possible sexual image of a child."""

from __future__ import annotations

from typing import Iterator

from generator.load.diagnostics import Diagnostic
import re

from generator.checks.rules.context import SEXUAL, text_topic
from generator.checks.rules.language import instructions, positive_text, sentences
from generator.checks.rules.registry import outcome_example, rule
from generator.checks.rules.walk import ProjectView

# Base forms only: "a pupil showed you", "someone sent your child" describe what happened;
# "show", "send" tell the reader (or a child) to do it. Phrasal verbs first, so "look at" is
# matched whole.
HANDLING = (r"look\s+(?:at|through|for|over)|take\s+(?:a\s+|another\s+)?(?:screenshots?|screen\s+shots?|photos?|"
            r"pictures?|copy|copies|videos?|recordings?|screen\s+grabs?)|make\s+(?:a\s+)?cop(?:y|ies)|"
            r"circulate|"
            r"view|open|read|watch|copy|forward|screenshot|screen-?grab|save|download|print|upload|share|send|"
            r"show|keep|store|photograph|capture|post|repost|scroll\s+through|go\s+through|search|check")

# Verb phrases that carry their own object ("take a screenshot") need no "it" after them.
_SELF_OBJECT = ("take", "make")
# ("pass it on", "hand it over" are left out: "it" is as often what a child said, or the device.)
# What the image travels in. Keeping messages is keeping evidence (do not delete them), so for
# "keep"/"store" only the image itself or a copy of it counts.
_CARRIERS = r"messages?|content|material|files?|attachments?|posts?|chats?|snaps?|conversations?"
_IMAGES = (r"images?|photos?|photographs?|pictures?|pics?|videos?|clips?|footage|nudes?|semi-nudes?|selfies?|"
           r"cop(?:y|ies)|screenshots?|recordings?")
_PRONOUN = re.compile(r"^(?:it|them|this|these)\b", re.IGNORECASE)
# After "show them", "send them": a second object makes the pronoun the person, not the thing.
_SECOND_OBJECT = re.compile(r"^(?:a|an|the|your|their|his|her|our|my|how|that|what|where|why|who|you|some|any)\b",
                            re.IGNORECASE)
# The object ends where the sentence turns to a person, a place or a reason.
_OBJECT_END = re.compile(r"\b(?:to|with|by|about|for|if|when|because|so|and|or|from|on|in|at|into|before|after)\b",
                         re.IGNORECASE)


# "keep it secure", "help keep them safe": keeping a device or a child safe, not keeping the image.
_KEEP_SAFE = re.compile(r"^(?:\S+\s+){0,3}?(?:secure|safe|locked|switched\s+off|turned\s+off|away\s+from|in\s+sight)\b",
                        re.IGNORECASE)


def _handles_image(verb: str, after: str) -> bool:
    """Does the verb's object look like the image (or what carries it)?"""
    verb = " ".join(verb.lower().split())
    if verb.startswith(_SELF_OBJECT):
        return True
    if verb in ("keep", "store") and _KEEP_SAFE.match(after.strip()):
        return False
    words = after.split()
    if words and _PRONOUN.match(words[0]) and not (len(words) > 1 and _SECOND_OBJECT.match(words[1])):
        return True
    phrase = " ".join(words[:8])
    end = _OBJECT_END.search(phrase, 1)
    phrase = phrase[: end.start()] if end and verb not in ("show", "send", "give") else phrase
    nouns = _IMAGES if verb in ("keep", "store") else _IMAGES + "|" + _CARRIERS
    return bool(re.search(rf"\b(?:{nouns})\b", phrase, re.IGNORECASE))


@rule(
    code="S201", waivable=False, name="never-handle-images-of-children",
    summary="No title, summary, question, help, checklist, answer, action or page text tells anyone to view, open, "
            "read, copy, forward, screenshot, save, download, print, upload, share, send, show or keep a possible "
            "nude or sexual image of a child; only `never` items and negated sentences may name these acts.",
    why="viewing, copying or sharing a nude or semi-nude image of a child is a criminal offence and harms the child "
        "again; staff describe the image in words and hand the device to the DSL",
    source="UKCIS, Sharing nudes and semi-nudes: advice for education settings (2024), 'Viewing the imagery'; "
           "KCSIE 2025 Part one, child-on-child abuse (sharing nudes and semi-nudes)",
    failing=outcome_example(
        "image_passed_round", "A nude image of a pupil is being passed round",
        "Take a screenshot of the image as evidence."),
    passing=outcome_example(
        "image_passed_round", "A nude image of a pupil is being passed round",
        "Describe the image in words. Never copy, screenshot or forward it."),
)
def check_images(view: ProjectView) -> Iterator[Diagnostic]:
    this = check_images.rule
    for text in view.texts():
        # `never` items are where the acts are named, as prohibitions; only a part of one that turns
        # to an instruction ("Never delete it: screenshot it instead") is read as one.
        step = view.step_of(text)
        topic_is_sexual = None
        for offset, sentence in sentences(text.text):
            for where, verb in instructions(sentence, HANDLING, prohibition=text.kind == "never"):
                if not _handles_image(verb.verb, verb.after):
                    continue  # "keep the device secure", "share your concern with the DSL"
                if not SEXUAL.search(positive_text(sentence)):
                    if topic_is_sexual is None:
                        topic_is_sexual = bool(SEXUAL.search(text_topic(text, step)))
                    if not topic_is_sexual:
                        continue  # e.g. a screenshot of an adult's defamatory post
                action = " ".join(verb.verb.split()).lower()
                yield this.diagnostic(
                    text, f"'{action}' here tells someone to handle what may be a sexual image of a child",
                    fix="describe the image in words and tell the DSL; if the act must be named, say it as a "
                        "prohibition (\"Never screenshot it\") or move it to the step's `never` list",
                    offset=offset + where)
                break

