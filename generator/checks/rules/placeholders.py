"""S701: a site with safeguarding guides is not published while the DSL contacts are placeholders."""

from __future__ import annotations

from typing import Iterator

from generator.load.diagnostics import Diagnostic, Severity
from generator.checks.rules.registry import rule
from generator.checks.rules.walk import DSL_ROLES, ProjectView

CODE = "S701"


@rule(
    code=CODE, name="real-dsl-contact-before-publishing", severity=Severity.WARNING, waivable=False,
    reads="project",  # the school's contacts, and whether any guide is a safeguarding one
    summary="While the `dsl` or `deputy_dsl` contact in school.yml is `placeholder: true`, or gives a name "
            "(or a room) but no phone or email, and any guide is a safeguarding guide, `check` and `build` warn, "
            "and `publish` refuses the build unless given `--preview` (a preview for the school to review).",
    why="a reader in the middle of a safeguarding concern who finds \"to be confirmed\" instead of the DSL's "
        "name and number loses the minutes that matter",
    source="KCSIE 2025 Part two and Annex C (staff know who the DSL is and how to reach them)",
    failing="""\
# school.yml
contacts:
  dsl:
    role: Designated Safeguarding Lead (DSL)
    placeholder: true""",
    passing="""\
# school.yml
contacts:
  dsl:
    role: Designated Safeguarding Lead (DSL)
    name: Ms A. Example
    phone: 01234 567890
    where: Office next to the library""",
    example_in="school-dsl",
)
def check_placeholders(view: ProjectView) -> Iterator[Diagnostic]:
    if view.school_source is None or not any(guide.safeguarding for guide in view.guides):
        return
    unreachable = set(unreachable_contacts(view))
    for contact in sorted(set(placeholder_dsl_contacts(view)) | unreachable):
        if contact in unreachable:
            yield check_placeholders.rule.diagnostic(
                view.school_source, f"contact '{contact}' has no phone or email, so nobody can reach it from the "
                                    "site: it counts as a placeholder (preview only, not published)",
                loc=("contacts", contact), fix="add a phone number or an email address that is answered")
            continue
        yield check_placeholders.rule.diagnostic(
            view.school_source, f"contact '{contact}' is a placeholder: the site can be built as a preview but not "
                                "published", loc=("contacts", contact, "placeholder"),
            fix="add the real name and phone number and remove 'placeholder: true'")


def placeholder_dsl_contacts(view: ProjectView) -> list[str]:
    """The DSL contacts still marked placeholder (recorded in a build's version.json for `publish`)."""
    return [key for key in sorted(DSL_ROLES) if isinstance(view.contacts.get(key), dict)
            and str(view.contacts[key].get("placeholder", "")).lower() in ("true", "yes")]


def unreachable_contacts(view: ProjectView) -> list[str]:
    """The DSL contacts not marked placeholder that give no way to reach them (a name alone, or a room): on the
    emergency panel, "DSL: <name> (School office)" with no number leaves a reader nowhere to turn after school."""
    found = []
    for key in sorted(DSL_ROLES):
        entry = view.contacts.get(key)
        if not isinstance(entry, dict) or str(entry.get("placeholder", "")).lower() in ("true", "yes"):
            continue
        if not any(str(entry.get(way) or "").strip() for way in ("phone", "email")):
            found.append(key)
    return found
