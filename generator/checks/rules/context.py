"""What a step or a page paragraph is about: words the rules recognise, and a step's context.

A sentence such as "Read it carefully before you decide" is harmless on its own and unsafe on a
step about a message that may hold a nude image of a child. So the rules look at the sentence,
then at its step (its title, question, help and checklist, not its `never` list) and the answers
that lead to it, then at the guide's title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.checks.rules.language import instructions, positive_text, sentences
from generator.checks.rules.walk import Guide, Step, Text

# A possible sexual image of a child: nudes and semi-nudes (UKCIS), "sexting", explicit or indecent
# images, AI-generated "nudified" images, child sexual abuse material.
_SEXUAL_WORDS = (r"nudes?|semi-nudes?|nude\w*|naked|indecent|sexual\w*|sexually|sex|explicit|intimate|sext\w*|"
                 r"nudif\w*|porn\w*|csam|child\s+abuse\s+(?:image|material)\w*|topless|underwear|private\s+parts")
SEXUAL = re.compile(rf"\b(?:{_SEXUAL_WORDS})\b", re.IGNORECASE)

# Grooming, sexual exploitation and sexual contact: what CEOP takes reports of.
SEXUAL_ABUSE = re.compile(
    rf"\b(?:{_SEXUAL_WORDS}|groom\w*|exploit\w*|sextortion|meet\s+(?:up|in\s+person)|asking\s+to\s+meet|"
    r"ask(?:s|ed|ing)?\s+(?:\w+\s+){0,3}for\s+(?:photos|pictures|images|videos))\b", re.IGNORECASE)

# What CEOP says it cannot deal with: bullying, hacking, fake accounts and other non-sexual harm.
NOT_FOR_CEOP = re.compile(
    r"\b(?:bull(?:y|ied|ies|ying)|cyberbull\w*|hack\w*|fake\s+(?:account|profile)s?|impersonat\w*|"
    r"troll\w*|libel\w*|defam\w*|inflammatory|disrepute|untrue|hurtful|unkind|mean\s+comments?|"
    r"harass\w*|scam\w*|fraud\w*)\b", re.IGNORECASE)

DSL = re.compile(r"\b(?:deputy\s+)?DSLs?\b|\bdesignated\s+safeguarding\s+lead", re.IGNORECASE)

# Adults who work with children, as the subject of a concern. "head teacher" and "chair of governors"
# are the routes for such a concern, so they are taken out before looking.
ADULT_AT_SCHOOL = re.compile(
    r"\b(?:members?\s+of\s+(?:staff|the\s+staff)|staff\s+members?|colleagues?|volunteers?|supply\s+(?:teachers?|staff)|"
    r"governors?|contractors?|teachers?|teaching\s+assistants?|coach(?:es)?|tutors?|"
    r"(?:adult|someone|person|people)\s+who\s+(?:works?|volunteers?)|works?\s+(?:or\s+volunteers?\s+)?at\s+the\s+school)\b",
    re.IGNORECASE)
_ROUTE_NAMES = re.compile(r"\bhead\s*teachers?\b|\bchair\s+of\s+(?:the\s+)?governors\b|\bgoverning\s+body\b|"
                          r"\bsenior\s+leader\w*|\bdesignated\s+officer\b", re.IGNORECASE)

SENIOR_LEADERSHIP = re.compile(r"\bSLT\b|\bsenior\s+leader(?:s|ship)?\b|\bleadership\s+team\b", re.IGNORECASE)


# Someone *else's* words about staff ("a parent posts comments about a member of staff") are not a
# concern about that member of staff's conduct.
_WORDS_ABOUT_STAFF = re.compile(
    r"\b(?:comments?|posts?|posted|posting|reviews?|remarks?|complain\w*|things|untrue|offensive|inflammatory)\b"
    r"[^.;]{0,40}?\babout\b[^.;]{0,30}?(?:staff|teachers?|colleagues?)\b", re.IGNORECASE)


# Staff named as the people who report or respond ("First response (any staff member)", "after the staff
# member has followed the procedure"), not as the subject of the concern.
_STAFF_AS_REPORTER = re.compile(
    r"\b(?:any|every|all|each)\s+(?:members?\s+of\s+staff|staff(?:\s+members?)?|adults?)\b|"
    r"\b(?:the\s+|a\s+)?(?:staff\s+member|member\s+of\s+staff)\s+(?:has|have|had|should|must|will|can|may|"
    r"who\s+(?:has|had|receives?|received|hears?|heard|notices?|noticed|is\s+told|was\s+told|reports?|reported)|"
    r"receiving|hearing|reporting|responding)\b", re.IGNORECASE)


def about_adult_at_school(text: str) -> bool:
    """Is the text about a concern with an adult who works or volunteers with children?"""
    text = _WORDS_ABOUT_STAFF.sub(" ", _ROUTE_NAMES.sub(" ", _STAFF_AS_REPORTER.sub(" ", positive_text(text))))
    return bool(ADULT_AT_SCHOOL.search(text))


def concern_about(step: Step) -> str | None:
    """Who the step's concern is about, as the data says (`concern_about` on the step, else on its guide)."""
    stated = step.data.get("concern_about") or step.tree.data.get("concern_about")
    return str(stated) if stated else None


def step_topic(step: Step) -> str:
    """What a step is about, as stated (not forbidden): its own wording except `never`, and the answers
    that lead to it with their question."""
    if "topic" not in step.cache:
        parts = [t.text for t in step.texts() if t.kind != "never"] + incoming_topic(step)
        step.cache["topic"] = positive_text("\n\n".join(parts))
    return step.cache["topic"]


def step_subject(step: Step) -> str:
    """What a step is about, without what it tells people to do: its title, summary, question, help and
    checklist, and the answers leading to it. (Actions may mention others in passing: "keep the member of
    staff concerned informed" does not make a step about a concern with that member of staff.)"""
    if "subject" not in step.cache:
        own = [t.text for t in step.texts() if t.kind in ("title", "summary", "question", "help", "criteria")]
        step.cache["subject"] = positive_text("\n\n".join(own + incoming_topic(step)))
    return step.cache["subject"]


def incoming_topic(step: Step) -> list[str]:
    """The answers leading to a step, with their question and its checklist: "Yes" to "Is the person asking
    for nude photos?" makes the next step about nude photos. A "No" answer only brings its own label."""
    parts = []
    for question, answer in step.incoming:
        parts.append(str(answer.get("label", "")))
        if str(answer.get("id", "")).lower() == "no" or str(answer.get("label", "")).lower().startswith("no"):
            continue
        parts.append(str(question.data.get("question", "")))
        parts += [t.text for t in question.texts() if t.kind in ("help", "criteria")]
    return parts


def guide_topic(guide: Guide) -> str:
    return positive_text(f"{guide.data.get('title', '')}\n\n{guide.data.get('use_when', '')}")


def step_is_about_sexual_image(step: Step) -> bool:
    return bool(SEXUAL.search(step_topic(step)) or SEXUAL.search(guide_topic(step.tree)))


def text_topic(text: Text, step: Step | None) -> str:
    """The sentence's surroundings: its page section, or its step and guide."""
    if text.kind == "page":
        return positive_text(text.section)
    if step is not None:
        return step_topic(step) + "\n\n" + guide_topic(step.tree)
    return ""


_TELLING = (r"tell|report|inform|speak|talk|contact|let|alert|pass|find|get\s+hold\s+of|get|call|ring|phone|email|"
            r"message|share|raise|refer|go\s+to")


@lru_cache(maxsize=1 << 14)
def tells_dsl(text: str) -> bool:
    """Does the text instruct someone to tell, report to or reach the DSL?"""
    for _, sentence in sentences(text):
        for where, verb in instructions(sentence, _TELLING):
            if _EXPLAINING.search(sentence[:where]):
                continue  # "Explain to the child that you have to tell the DSL" is not the report itself
            if DSL.search(" ".join(verb.after.split()[:8])):
                return True
    return False


_EXPLAINING = re.compile(r"\b(?:explain|say|says|reassure|tell\s+(?:the\s+)?(?:child|pupil|them|him|her))\b.*\bthat\b",
                         re.IGNORECASE)
