"""The school's identity and the people and services staff contact (school.yml)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import Field, field_validator

from generator.load.models.base import Markdown, PlainText, Slug, StrictModel, _check_snake
from generator.load.models.shown import EVERYONE, SETTING, WITH_ITEM

REQUIRED_CONTACTS = ("dsl", "deputy_dsl")
"""Contacts every school file must have: the emergency panel and every safeguarding step need them.
Other contacts (LADO, police, CEOP …) are checked where a tree or page names them; national services
come from the built-in directory (generator/data/services.yml)."""


class Nation(str, Enum):
    """A UK nation: safeguarding law and guidance differ between them."""

    england = "England"
    wales = "Wales"
    scotland = "Scotland"
    northern_ireland = "Northern Ireland"




class Contact(StrictModel):
    role: Annotated[PlainText, EVERYONE]
    """What this contact is, e.g. 'Designated Safeguarding Lead (DSL)'."""
    name: Annotated[PlainText | None, WITH_ITEM] = None
    """A person's or service's name."""
    phone: Annotated[str | None, WITH_ITEM] = None
    email: Annotated[str | None, WITH_ITEM] = None
    url: Annotated[str | None, WITH_ITEM] = None
    """A web address for the service (opened by the reader; never loaded by the site)."""
    where: Annotated[str | None, WITH_ITEM] = None
    """Where to find the person, e.g. 'School office'."""
    hours: Annotated[str | None, WITH_ITEM] = None
    notes: Annotated[Markdown | None, WITH_ITEM] = None
    placeholder: bool = False
    """True while the school has not yet supplied the details: the site shows 'to be confirmed'."""
    public: bool = True
    """False keeps the contact off the parents' site (e.g. a direct line for staff only)."""


class SiteSettings(StrictModel):
    staff_url: Annotated[str | None, SETTING] = None
    """Where the staff site is published, e.g. 'https://intranet.example.sch.uk/policies/'."""
    parents_url: Annotated[str | None, SETTING] = None
    """Where the parents' site is published."""
    allow_http_links: bool = False
    """True lets text link to http:// addresses (unencrypted); otherwise links must be https://."""


DEFAULT_PANEL = {
    "staff": ("police_emergency", "dsl", "deputy_dsl", "head_teacher", "out_of_hours"),
    "parents": ("police_emergency", "dsl"),
}
"""The contacts each site's emergency panel lists when school.yml does not say (those the school has)."""


class EmergencyPanel(StrictModel):
    """Which contacts the 'In an emergency' panel lists on each site, in order (ids from `contacts`)."""

    staff: Annotated[list[str] | None, SETTING] = None
    """Default: police_emergency, dsl, deputy_dsl, head_teacher, out_of_hours (those the school has)."""
    parents: Annotated[list[str] | None, SETTING] = None
    """Default: police_emergency, dsl (those the school has). Only public contacts may be listed."""


class School(StrictModel):
    """school.yml: one per school."""

    id: Annotated[Slug, SETTING]
    name: Annotated[PlainText, EVERYONE]
    website: Annotated[str | None, EVERYONE] = None
    vision: Annotated[PlainText, EVERYONE]
    values: Annotated[list[PlainText], EVERYONE] = Field(min_length=1)
    inclusion_statement: Annotated[list[Markdown], EVERYONE] = Field(default_factory=list)
    """The inclusion statement, one paragraph per entry."""
    inclusion_statement_by: Annotated[str | None, EVERYONE] = None
    """Who developed the statement, e.g. 'Statement developed by the staff and parents.'"""
    contacts: Annotated[dict[str, Contact], WITH_ITEM]
    """Everyone a tree or page may name, keyed by an id such as 'dsl' or 'lado'."""
    site: SiteSettings = SiteSettings()
    nation: Nation = Nation.england
    """Where the school is: citing guidance that does not apply there is a warning."""
    roles: Annotated[dict[str, PlainText], EVERYONE] = Field(default_factory=dict)
    """Roles added to the built-in ones (or relabelled), e.g. {trust_safeguarding_lead: "The trust's safeguarding lead"}."""
    emergency_panel: EmergencyPanel = EmergencyPanel()
    """Which contacts the emergency panel on each site's home page lists."""
    parents_introduction: Annotated[Markdown | None, EVERYONE] = None
    """The parents' home page's opening paragraph, e.g. what the site covers (default: a neutral sentence)."""
    parents_description: Annotated[PlainText | None, EVERYONE] = None
    """One line describing the parents' site to search engines and link previews (default: a neutral line)."""
    guide_pack: Annotated[Slug | None, SETTING] = None
    """The pack of statutory guides that comes with the tool this school adopts, e.g. 'england': its guides are the
    school's too, except any the school has a guide file of the same name for (the school's own is used)."""

    def panel_contacts(self, site: str, known: dict) -> list[str]:
        """The contact ids the emergency panel lists on ``site``: as written, or the defaults the school has."""
        chosen = getattr(self.emergency_panel, site)
        if chosen is not None:
            return list(chosen)
        return [key for key in DEFAULT_PANEL[site] if key in known]

    @field_validator("contacts")
    @classmethod
    def _has_required_contacts(cls, contacts: dict[str, Contact]) -> dict[str, Contact]:
        missing = [key for key in REQUIRED_CONTACTS if key not in contacts]
        if missing:
            raise ValueError("missing contacts: " + ", ".join(missing)
                             + " (add them with 'placeholder: true' until the details are known)")
        for key in contacts:
            _check_snake(key)
        return contacts

    @field_validator("roles")
    @classmethod
    def _role_ids(cls, roles: dict[str, str]) -> dict[str, str]:
        for key in roles:
            _check_snake(key)
        return roles
