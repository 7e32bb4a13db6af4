"""What Wexham Court's guides say, for each finding of issue 12 and the statutory procedures of issue 11.

This is the school's own check (it lives in checks/, with the school's data: a fork with another school's
data keeps its own checks/ and not this file). The safety rules of `generator check` (S-codes) catch most
wrong routes in any school's data; these tests pin down this school's content where a rule cannot: a route
a guide must offer, a question no path may skip, a guide that must exist. Expected values are written out
here by hand from the procedures, never read back from the code under test.

The trees are read as plain YAML (with the shared steps of decision_trees/shared/ expanded) so that
the tests depend on the data format only, not on the renderer.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.load.pack import PACKS

ROOT = Path(__file__).resolve().parent.parent
"""The repository's root, where the school's data is (this file is in its checks/ folder)."""
TREES = ROOT / "decision_trees"
PACK_TREES = PACKS / yaml.safe_load((ROOT / "school.yml").read_text(encoding="utf-8"))["guide_pack"] / "decision_trees"
"""The guide pack the school adopts (school.yml's guide_pack): its guides are the school's unless it has its own."""


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _file(folder: str, name: str) -> Path:
    """The school's own file, else the pack's of the same name (as the loader chooses)."""
    own = TREES / folder / name
    return own if own.is_file() else PACK_TREES / folder / name


def _tree(tree_id: str) -> dict:
    data = _load(_file("", f"{tree_id}.yml"))
    steps, order = {}, []
    for node in data["nodes"]:
        if "use" in node:
            group = _load(_file("shared", f"{node['use']}.yml"))
            for step in group["nodes"]:
                step = dict(step)
                if "answers" in step:
                    step["answers"] = [dict(a, next=node["continue"]) if a["next"] == "continue" else a
                                       for a in step["answers"]]
                if (step.get("next_step") or {}).get("next") == "continue":  # "not sure" carries on (issue 28)
                    step["next_step"] = dict(step["next_step"], next=node["continue"])
                steps[step["id"]] = step
                order.append(step["id"])
        else:
            steps[node["id"]] = node
            order.append(node["id"])
    data["steps"], data["order"] = steps, order
    return data


def _targets(step: dict) -> list[str]:
    targets = [a["next"] for a in step.get("answers", [])]
    if step.get("next_step"):
        targets.append(step["next_step"]["next"])
    return targets


def _paths(tree: dict) -> list[list[str]]:
    """Every route from the first step to an outcome (or out of the tree), without revisiting a step."""
    paths, stack = [], [[tree["order"][0]]]
    while stack:
        path = stack.pop()
        step = tree["steps"][path[-1]]
        nexts = [t for t in _targets(step) if "#" not in t and t not in path]
        if step.get("kind") == "outcome" or not nexts:
            paths.append(path)
        for target in nexts:
            stack.append(path + [target])
    return paths


def _actions(step: dict) -> list[dict]:
    """A step's actions, each alternative of an `either:` group as an action of its own."""
    found = []
    for action in step.get("actions", []):
        found += action["either"] if "either" in action else [action]
    return found


def _notes(item: dict) -> list[str]:
    """What the reader sees beside a step or an action: its notes and cautions (each a text, or {text: ...})."""
    return [n if isinstance(n, str) else n.get("text", "") for key in ("notes", "cautions") for n in item.get(key, [])]


def _texts(step: dict, *, never: bool = False) -> list[str]:
    keys = ("title", "summary", "question", "help")
    texts = [step[k] for k in keys if step.get(k)] + _notes(step)
    for action in _actions(step):
        texts += [action["text"]] + ([action["if"]] if action.get("if") else []) + _notes(action)
    texts += [c if isinstance(c, str) else c["text"] for c in step.get("criteria", [])]
    if never:
        texts += step.get("never", [])
    return texts


# --- parents' guide: the sexual/grooming question is asked whoever is involved ----------------------

def test_parents_guide_asks_about_sexual_contact_on_every_route():
    """Finding: 'other children we know' skipped the grooming question (a 16-year-old asking a
    9-year-old for nudes never reached CEOP, the police or Report Remove)."""
    tree = _tree("my-child-bullied-or-contacted-online")
    first = tree["order"][0]
    emergency = {a["next"] for a in tree["steps"][first]["answers"] if a["id"] != "no"}
    skipped = [" > ".join(p) for p in _paths(tree)
               if p[-1] not in emergency and "is_it_sexual_or_grooming" not in p]
    assert not skipped, "routes that never ask whether the contact is sexual or grooming:\n" + "\n".join(skipped)


def test_parents_guide_sexual_contact_leads_to_ceop_police_and_removal_tools():
    tree = _tree("my-child-bullied-or-contacted-online")
    question = tree["steps"]["is_it_sexual_or_grooming"]
    yes = tree["steps"][next(a["next"] for a in question["answers"] if a["id"] == "yes")]
    assert {"ceop", "police_non_emergency", "police_emergency", "dsl", "report_remove",
            "take_it_down", "childline", "nspcc_helpline"} <= set(yes["contacts"])
    assert any("threaten" in (c if isinstance(c, str) else c["text"]) for c in question["criteria"]), \
        "threats to share pictures must be on the checklist"


def test_a_parent_not_sure_about_danger_is_sent_to_999_or_101_not_to_find_the_dsl():
    """A parent at home at 9 pm cannot 'find the DSL': the parents' danger step must give routes they can use."""
    tree = _tree("my-child-bullied-or-contacted-online")
    first = tree["steps"][tree["order"][0]]
    not_sure = next(a["next"] for a in first["answers"] if a["id"] == "not_sure")
    words = " ".join(_texts(tree["steps"][not_sure]))
    assert "999" in words and "101" in words
    assert "find the dsl" not in words.lower()


def test_parents_are_never_told_to_contact_other_families():
    """Finding: the parents' guide suggested contacting the other child's parents."""
    tree = _tree("my-child-bullied-or-contacted-online")
    offending = [f"{sid}: {text}" for sid, step in tree["steps"].items() for text in _texts(step)
                 if re.search(r"\bcontact (?:their|the other child's|the other) parents\b", text, re.I)]
    assert not offending, "\n".join(offending)


def test_parents_page_agrees_with_the_guide_about_other_parents():
    """Finding: a parents' page said 'ask them (or their parents) to remove it'."""
    page = (ROOT / "docs" / "parents" / "report-a-concern.md").read_text(encoding="utf-8")
    assert not re.search(r"ask them \(or their parents\)", page, re.I)
    assert re.search(r"don't contact the other\s+child or their parents", page, re.I)


def test_parents_pages_do_not_send_bullying_to_ceop():
    for name in ("report-a-concern.md", "online-safety.md"):
        page = (ROOT / "docs" / "parents" / name).read_text(encoding="utf-8")
        assert "3. If all else fails, report it to CEOP." not in page
        assert "Report Harmful Content" in page, f"{name}: no route for bullying after the platform report"


# --- staff guides ------------------------------------------------------------------------------

def test_cyberbullying_escalates_to_report_harmful_content_not_ceop():
    tree = _tree("cyberbullying-facebook-instagram")
    steps = tree["steps"]
    assert "all_else_fails_ceop" not in steps
    escalation = steps[next(a["next"] for a in steps["did_reporting_work"]["answers"] if a["id"] == "no")]
    assert {"report_harmful_content", "police_non_emergency", "dsl"} <= set(escalation["contacts"])
    assert "ceop" not in escalation["contacts"]


def test_cyberbullying_reports_before_anything_is_deleted():
    step = _tree("cyberbullying-facebook-instagram")["steps"]["keep_copy_and_report"]
    texts = [a["text"] for a in _actions(step)]
    report = next(i for i, t in enumerate(texts) if "**Report**" in t)
    deleting = [i for i, t in enumerate(texts) if re.search(r"\b(delete|remove)\b", t, re.I)]
    assert all(i > report for i in deleting), "content is removed before it is reported"
    assert any("delete" in n.lower() and "reported" in n.lower() for n in step["never"])


def test_staff_rule_breaches_go_to_the_head_teacher_not_slt():
    """Finding: a member of staff befriending pupils went to 'a member of SLT, the same day'."""
    tree = _tree("is-this-misuse")
    answers = {a["id"]: a["next"] for a in tree["steps"]["is_it_misuse"]["answers"]}
    assert answers["staff_conduct"].startswith("allegation-about-staff#")
    report = tree["steps"]["report_misuse"]
    assert {"head_teacher", "chair_of_governors"} <= set(report["contacts"])
    assert "senior_leadership" not in report["contacts"]


def test_pupil_message_with_possible_sexual_content_is_not_read_again():
    step = _tree("pupil-contacts-me")["steps"]["does_contact_raise_concern"]
    assert not re.search(r"read it carefully", step["help"], re.I)
    assert any("open" in n.lower() and "image" in n.lower() for n in step["never"])


def test_image_on_your_own_device_has_a_route():
    tree = _tree("indecent-images")
    targets = {a["next"] for a in tree["steps"]["who_is_involved"]["answers"]}
    assert "image-on-my-device#leave_it_and_tell_dsl" in targets
    own = _tree("image-on-my-device")
    assert own["safeguarding"] is True
    outcome = own["steps"]["leave_it_and_tell_dsl"]
    assert any(all(w in n.lower() for w in ("forward", "screenshot")) for n in outcome["never"])
    assert any("delete" in n.lower() for n in outcome["never"])


def test_criminal_list_carries_an_editors_note():
    step = _tree("is-this-misuse")["steps"]["is_it_potentially_criminal"]
    assert "bullying of anyone" in step.get("editor_note", "").lower()


def test_no_never_item_forbids_telling_the_child_you_must_tell_the_dsl():
    """Finding: 'Never tell the children involved' sat beside 'Explain to the child that you have to tell the DSL'."""
    for tree_id in ("indecent-images", "sharing-nudes"):
        for sid, step in _tree(tree_id)["steps"].items():
            for item in step.get("never", []):
                assert not re.search(r"never tell[^.]*\bchildren involved\b", item, re.I), f"{tree_id}/{sid}: {item}"


def test_staff_member_with_images_goes_to_head_and_lado_at_once():
    step = _tree("indecent-images")["steps"]["staff_member_involved"]
    assert {"head_teacher", "chair_of_governors", "lado"} <= set(step["contacts"])
    assert all(a.get("when") != "within 1 working day" for a in _actions(step))


# --- the statutory procedures and the missing guides ----------------------------------------------

def test_dsl_cannot_be_reached_guide_names_the_local_authority_routes():
    tree = _tree("dsl-cannot-be-reached")
    contacts = set().union(*(set(s.get("contacts", [])) for s in tree["steps"].values()))
    assert {"head_teacher", "senior_leadership", "childrens_social_care", "out_of_hours"} <= contacts
    concern = _tree("concern-about-a-child")
    answers = {a["id"]: a["next"] for a in concern["steps"]["can_you_reach_the_dsl"]["answers"]}
    assert answers["no"] == "dsl-cannot-be-reached#is_a_senior_leader_available"


def test_asked_for_photos_guide_is_found_with_a_teachers_words():
    tree = _load(TREES / "asked-for-photos.yml")
    assert "photos" in tree["title"].lower()
    assert {"photos", "pics", "nudes", "sexting", "selfie", "sextortion"} <= {w.lower() for w in tree["also_called"]}


def test_nudes_procedure_lists_the_five_cases_for_immediate_referral():
    step = _tree("sharing-nudes")["steps"]["dsl_initial_review"]
    assert step["select"] == "many"
    ids = {c["id"] for c in step["criteria"]}
    assert ids == {"adult_involved", "coerced_or_blackmailed", "unusual_or_violent", "under_13_sexual_acts",
                   "immediate_risk"}
    assert "AI" in " ".join([step["help"]] + _notes(step))  # a note the reader sees since guide format v3


def test_sextortion_outcome_says_dont_pay_dont_delete_and_offers_removal():
    step = _tree("sharing-nudes")["steps"]["sexual_extortion"]
    never = " ".join(step["never"]).lower()
    assert "pay" in never and "delete" in never
    assert {"report_remove", "take_it_down", "police_emergency"} <= set(step["contacts"])


def test_allegations_lado_immediately_with_one_working_day_as_the_outer_limit():
    step = _tree("allegation-about-staff")["steps"]["refer_to_the_lado"]
    lado = [a for a in _actions(step) if 'contact("lado")' in a["text"]]
    assert lado and all(a["when"] == "immediately" for a in lado)
    assert any("one working day" in a["text"].lower() and "latest" in a["text"].lower() for a in lado)
    police = [a for a in _actions(step) if "police" in a["text"].lower() and "at once" in a["text"]]
    assert police and all(a["when"] == "immediately" for a in police)


def test_allegation_about_the_head_goes_to_the_chair_of_governors():
    step = _tree("allegation-about-staff")["steps"]["tell_the_head_teacher"]
    assert {"head_teacher", "chair_of_governors"} <= set(step["contacts"])
    # Both routes said where the reader reads them: the head unless it is about the head, then the chair instead.
    actions = _actions(step)
    head = [a for a in actions if "head teacher" in a["text"].lower() and "chair" not in a["text"].lower()]
    chair = [a for a in actions if "chair of governors" in a["text"].lower() and "about the head" in a.get("if", "")]
    assert head and all("not about the head" in a.get("if", "") for a in head), head
    assert chair, actions
