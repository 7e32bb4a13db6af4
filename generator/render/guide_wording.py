"""Small pieces of a guide step's wording (issue 27 item 5): the citations gathered once per step, an action
whose words continue its role as one sentence, and a placeholder contact as a short marked token.

Plain data or escaped HTML only; the wording around them is in templates/trees/tree.html.j2.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_CONTINUES_THE_ROLE = frozenset({
    "is", "are", "was", "were", "has", "have", "gets", "get", "receives", "receive", "must", "should", "will",
    "may", "can", "need", "needs",
})
"""First words that make an action's text the rest of a sentence whose subject is its role: "The person who
made the referral" + "is informed of the decision". An instruction ("Tell the DSL") keeps the role as a label."""


def step_citations(node) -> list[str]:
    """Every citation of a step and of its actions, once each, in the order they are first named."""
    found = list(node.cites)
    for entry in getattr(node, "actions", []):  # a question's actions too, and each alternative of an either group
        for action in getattr(entry, "either", None) or [entry]:
            found.extend(action.cites)
    return list(dict.fromkeys(found))


def continues_role(text: str) -> str | None:
    """The action's text with its first letter lowered, when it reads on from its role ("is informed of …");
    None for an instruction, which keeps "Role:" in front."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    if first.lower() not in _CONTINUES_THE_ROLE:
        return None
    start = len(text) - len(text.lstrip())
    return text[:start] + text[start].lower() + text[start + 1:]


def join_role(role: Markup, block: Markup) -> Markup:
    """The role put at the start of the action's first paragraph, as that sentence's subject."""
    head = Markup('<strong class="tree-who">{}</strong> ').format(role)
    if block.startswith("<p>"):
        return Markup("<p>") + head + Markup(block[3:])
    return Markup("<p>") + head + Markup("</p>") + block


# A placeholder contact named in a sentence: the {{ contact("id") }} call becomes this mark before the text is
# converted (private-use characters pass Markdown untouched and never occur in the data's text), and the mark
# becomes the short token after.
_MARK = re.compile("\ue000([0-9a-f]+)\ue001")


def placeholder_mark(key: str) -> str:
    return "\ue000" + key.encode().hex() + "\ue001"


def placeholder_tokens(html: Markup, role_of) -> Markup:
    """Each placeholder mark in converted text as "<role> [to be confirmed]", both escaped."""
    if "\ue000" not in html:
        return html

    def token(match: re.Match) -> str:
        role = role_of(bytes.fromhex(match.group(1)).decode())
        return str(Markup('<strong>{}</strong> <span class="tree-tbc" title="The school has not yet added these '
                          'details">to be confirmed</span>').format(escape(role)))

    return Markup(_MARK.sub(token, str(html)))
