"""Issue 28 items 2-3: each changed or new path of the example school's guides, walked answer by answer as a
teacher or a parent would, ends where a DSL says it must and says what it must there.

The guides are the example school's copy in tests/fixtures/wexham (the root school's data is a fork's to replace). Every
route and every expected ending and phrase below is written by hand from the statutory guidance and the
findings of issue 28 (reviews/statutory-guides-review.md), never read back from the guides.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.load.loader import BUILTIN_DATA
from generator.load.models import DecisionTree, Outcome
from generator.pipeline import check
from support import TODAY, walk_answers

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "wexham"


@pytest.fixture(scope="module")
def trees() -> dict[str, DecisionTree]:
    result = check(PROJECT, TODAY)
    assert result.project is not None, [str(d) for d in result.diagnostics if d.is_error]
    assert not [d for d in result.diagnostics if d.is_error]
    return result.project.trees_by_id


def words(step: Outcome) -> str:
    texts = [step.title, step.summary or ""] + [a.text for a in step.actions] + list(step.never)
    return " ".join(" ".join(texts).split()).lower()


# (who walks it, guide, answers clicked, the guide and step it must end on, phrases the step must say)
WALKS = [
    ("a teacher told by a girl that she has had FGM",
     "concern-about-a-child", ["no", "fgm_known"],
     ("concern-about-a-child", "report_fgm_to_the_police"),
     ["police on **101** yourself", "tell the dsl", "never examine the girl"]),
    ("a teacher who sees a bruise: don't examine, body map, don't question the parent",
     "concern-about-a-child", ["no", "a_child", "no", "yes"],
     ("concern-about-a-child", "tell_the_dsl_now"),
     ["body map", "never examine, undress or photograph", "never question the parent",
      "the school's safeguarding recording system"]),
    ("a child telling a teacher about a mark",
     "concern-about-a-child", ["no", "a_child", "yes"],
     ("concern-about-a-child", "listen_to_the_child"),
     ["body map", "don't examine, undress or photograph the child"]),
    ("4pm on a Friday, the DSL and the deputy away, a senior leader found",
     "concern-about-a-child", ["no", "a_child", "no", "no", "yes"],
     ("dsl-cannot-be-reached", "tell_a_senior_leader"),
     ["on a friday", 'contact("out_of_hours")']),
    ("the same with no senior leader, in office hours",
     "dsl-cannot-be-reached", ["no", "no", "yes"],
     ("dsl-cannot-be-reached", "contact_childrens_social_care"),
     ["on a friday", 'contact("out_of_hours")']),
    ("a teacher not sure whether a child is in danger carries on to the guide's own steps",
     "concern-about-a-child", ["not_sure", "next", "a_child", "no", "yes"],
     ("concern-about-a-child", "tell_the_dsl_now"),
     ["tell the dsl"]),
    ("a concern about a colleague when the head cannot be reached",
     "allegation-about-staff", ["no", "staff_member"],
     ("allegation-about-staff", "tell_the_head_teacher"),
     ["cannot be reached today, tell the chair of governors", "directly: anyone may do so",
      'contact("out_of_hours")', "tell the lado on the next working day"]),
    ("a pupil's worrying Instagram message to a teacher",
     "pupil-contacts-me", ["no", "yes"],
     ("pupil-contacts-me", "tell_dsl_safeguarding_concern"),
     ["never delete the message or block the pupil until the dsl advises", "personal phone"]),
    ("a pupil's friend request, nothing worrying",
     "pupil-contacts-me", ["no", "no", "no"],
     ("pupil-contacts-me", "report_contact_to_slt"),
     ["don't delete it or block the pupil", "until the dsl advises"]),
    ("name-calling on Instagram by a known classmate",
     "cyberbullying-facebook-instagram", ["no", "no", "yes"],
     ("cyberbullying-facebook-instagram", "ask_for_content_to_be_removed"),
     ["report the post, comment or account to the site", "school device (never your personal phone)"]),
    ("a parent's Facebook post about a teacher",
     "parent-posts-libellous-comments", ["no", "no"],
     ("parent-posts-libellous-comments", "tell_head_teacher"),
     ["complaints procedure", "school device"]),
    ("a parent's post saying a teacher hurt a child",
     "parent-posts-libellous-comments", ["no", "yes"],
     ("parent-posts-libellous-comments", "child_involved_tell_dsl"),
     ["that is an allegation about an adult", "lado"]),
    ("a parent worried about a 15-year-old neighbour messaging their child",
     "my-child-bullied-or-contacted-online", ["no", "yes"],
     ("my-child-bullied-or-contacted-online", "report_to_ceop_and_police"),
     ["never contact the person or their family yourself", "neighbour"]),
    # The parents' guides of item 2.
    ("a parent whose child says a teacher touched them",
     "worried-about-a-member-of-staff", ["no", "yes"],
     ("worried-about-a-member-of-staff", "tell_the_head_teacher"),
     ["chair of governors", "lado", "never confront the member of staff", "again and again"]),
    ("a parent unhappy with a teacher's decision",
     "worried-about-a-member-of-staff", ["no", "no"],
     ("worried-about-a-member-of-staff", "use_the_complaints_procedure"),
     ["complaints procedure"]),
    ("a parent not sure about danger carries on to the guide's question",
     "worried-about-a-member-of-staff", ["not_sure", "next", "not_sure"],
     ("worried-about-a-member-of-staff", "tell_the_head_teacher"),
     ["head teacher"]),
    ("a child tells their parent at home that someone hurt them",
     "my-child-told-me-something-worrying", ["no", "child_told_me"],
     ("my-child-told-me-something-worrying", "listen_then_report"),
     ["never contact the other family", "again and again", "**101**", "designated safeguarding lead"]),
    ("a parent who noticed something",
     "my-child-told-me-something-worrying", ["no", "something_noticed"],
     ("my-child-told-me-something-worrying", "tell_the_school_dsl"),
     ["school office", "contact their family"]),
    ("a parent's worry at home about someone at the school",
     "my-child-told-me-something-worrying", ["no", "someone_at_school", "yes"],
     ("worried-about-a-member-of-staff", "tell_the_head_teacher"),
     ["head teacher"]),
    ("a parent's worry at home about messages online",
     "my-child-told-me-something-worrying", ["no", "online", "yes"],
     ("my-child-bullied-or-contacted-online", "report_to_ceop_and_police"),
     ["ceop"]),
]


@pytest.mark.parametrize("guide, answers, ending, phrases", [w[1:] for w in WALKS], ids=[w[0] for w in WALKS])
def test_the_walk_ends_where_it_must_and_says_what_it_must(trees, guide, answers, ending, phrases):
    reached_guide, step = walk_answers(trees, guide, answers)
    assert (reached_guide, step.id) == ending
    said = words(step)
    missing = [p for p in phrases if p.lower() not in said]
    assert not missing, f"{reached_guide}#{step.id} does not say {missing}"


def test_every_staff_step_that_says_tell_the_dsl_links_the_route_when_the_dsl_cannot_be_reached(trees):
    """The steps issue 28 found without the route, by hand: each lists dsl-cannot-be-reached itself."""
    for guide, step_id in [("concern-about-a-child", "tell_the_dsl_now"), ("concern-about-a-child", "early_help"),
                           ("concern-about-a-child", "report_fgm_to_the_police"),
                           ("asked-for-photos", "adult_or_stranger_tell_dsl"),
                           ("parent-posts-libellous-comments", "child_involved_tell_dsl"),
                           ("pupil-contacts-me", "report_contact_to_slt"), ("sharing-nudes", "tell_dsl_about_image"),
                           ("radicalisation-concern", "tell_dsl_now"), ("indecent-images", "tell_dsl_now")]:
        step = next(n for n in trees[guide].nodes if n.id == step_id)
        assert "dsl-cannot-be-reached" in step.related_trees, f"{guide}#{step_id}"


def test_report_remove_links_to_the_tool_itself():
    """Finding: Report Remove's link went to Childline's home page, not to the tool (the tool's services)."""
    services = yaml.safe_load((BUILTIN_DATA / "services.yml").read_text(encoding="utf-8"))["contacts"]
    assert services["report_remove"]["url"] == ("https://www.childline.org.uk/info-advice/bullying-abuse-safety/online-mobile-safety/"
                           "remove-nude-image-shared-online/")


def test_a_record_of_a_concern_about_an_adult_is_kept_apart_from_the_dsls_log(trees):
    """DSL review 2026-12, finding M5: the allegation guide's record box said 'make a record for the DSL's log ...
    add it to the school's safeguarding record' beside 'give it only to the person you told' (and when the
    concern is about the DSL, to the person concerned). KCSIE 2025 Part four: the case manager keeps it, on the
    adult's confidential personnel file; a low-level concern under the school's policy, kept confidential.
    Keepers written by hand from Part four."""
    keepers = {"tell_the_head_teacher": "head_teacher", "refer_to_the_lado": "case_manager",
               "low_level_concern": "head_teacher"}
    steps = {n.id: n for n in trees["allegation-about-staff"].nodes}
    for step_id, keeper in keepers.items():
        record = steps[step_id].record
        assert not isinstance(record, bool), f"allegation-about-staff#{step_id}: record: true goes to the DSL's log"
        assert record.keeper == keeper, f"allegation-about-staff#{step_id} is kept by {record.keeper}"
        assert "confidential" in str(record.says).lower()
    assert "give it only to the person you told" in " ".join(str(steps["tell_the_head_teacher"].record.says).split())
