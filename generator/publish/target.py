"""Which school's which site a publishing folder is for: the ``Expectation`` a publish names, recorded in
``publish-target.json`` by the first publish; any other school or site is refused from then on."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from generator.publish.layout import TARGET_FILE, PublishError

SITE_WORDS = {"staff": "the staff site", "parents": "the parents' site"}


@dataclass(frozen=True)
class Expectation:
    """The school and site a publishing target is for; anything else is refused."""

    school: str
    site: str

    def describe(self) -> str:
        return f"{SITE_WORDS.get(self.site, f'the {self.site!r} site')} of school {self.school!r}"

    def as_json(self) -> str:
        return json.dumps({"school": self.school, "site": self.site}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: str) -> "Expectation":
        try:
            data = json.loads(text)
            return cls(str(data["school"]), str(data["site"]))
        except (ValueError, KeyError, TypeError) as error:
            raise PublishError(f"{where} cannot be read ({error}): it says which school and site the folder "
                               "is for; restore it, or move the folder aside and publish afresh") from None


def _claim_target(target: Path, expect: Expectation) -> None:
    """Refuse unless ``target`` is for ``expect``'s school and site; record it on the first publish."""
    path = target / TARGET_FILE
    if path.is_file():
        recorded = Expectation.from_json(path.read_text(encoding="utf-8"), str(path))
        _refuse_other_target(recorded, expect, str(target), str(path))
        return
    temporary = target / f".{TARGET_FILE}.tmp.{os.getpid()}"
    temporary.write_text(expect.as_json() + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _refuse_other_target(recorded: Expectation, expect: Expectation, where: str, record: str) -> None:
    if recorded != expect:
        raise PublishError(f"Refusing to publish {expect.describe()} to {where}: that folder is where "
                           f"{recorded.describe()} is published ({record} says so). Check the route's "
                           "folder or address; if the folder really is to change purpose, move it aside and "
                           "publish afresh")
