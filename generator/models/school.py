"""The school's identity and the people and services staff contact (school.yml)."""

from __future__ import annotations

from pydantic import Field, field_validator

from generator.models.base import Markdown, PlainText, Slug, StrictModel, _check_snake

REQUIRED_CONTACTS = (
    "dsl", "deputy_dsl", "head_teacher", "chair_of_governors", "lado", "childrens_social_care",
    "out_of_hours", "prevent", "police_emergency", "police_non_emergency", "ceop",
)
"""Contacts every school file must have: trees and the emergency panel refer to them."""


class Contact(StrictModel):
    role: PlainText
    """What this contact is, e.g. 'Designated Safeguarding Lead (DSL)'."""
    name: PlainText | None = None
    """A person's or service's name."""
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    """A web address for the service (opened by the reader; never loaded by the site)."""
    where: str | None = None
    """Where to find the person, e.g. 'School office'."""
    hours: str | None = None
    notes: Markdown | None = None
    placeholder: bool = False
    """True while the school has not yet supplied the details: the site shows 'to be confirmed'."""
    public: bool = True
    """False keeps the contact off the parents' site (e.g. a direct line for staff only)."""


class SiteSettings(StrictModel):
    staff_url: str | None = None
    """Where the staff site is published, e.g. 'https://intranet.example.sch.uk/policies/'."""
    parents_url: str | None = None
    """Where the parents' site is published."""


class School(StrictModel):
    """school.yml: one per school."""

    id: Slug
    name: PlainText
    website: str | None = None
    vision: PlainText
    values: list[PlainText] = Field(min_length=1)
    inclusion_statement: list[Markdown] = Field(default_factory=list)
    """The inclusion statement, one paragraph per entry."""
    inclusion_statement_by: str | None = None
    """Who developed the statement, e.g. 'Statement developed by the staff and parents.'"""
    contacts: dict[str, Contact]
    """Everyone a tree or page may name, keyed by an id such as 'dsl' or 'lado'."""
    site: SiteSettings = SiteSettings()

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
