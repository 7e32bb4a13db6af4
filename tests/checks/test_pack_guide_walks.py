"""Issue 28: the four guides the england pack gained so that it stands alone (concern-about-a-child, sharing-nudes,
indecent-images, radicalisation-concern), walked answer by answer as a member of staff would, in a new school made
by `init --guide-pack england` (the example school has its own versions of these four, so it never shows them).
Each walk ends where a DSL says it must and says what it must there: the safety steps kept from the example
school's guides, and the medium findings of reviews/pack-guides-added-review.md fixed. Every route, ending and
phrase below is written by hand from the statutory guidance and the review, never read back from the guides.
"""

from __future__ import annotations

import pytest

from generator.authoring.init import init_school
from generator.load.models import DecisionTree, Outcome
from generator.pipeline import check
from support import TODAY, walk_answers


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> dict[str, DecisionTree]:
    school = tmp_path_factory.mktemp("pack-walks") / "school"
    init_school(school, "england")
    result = check(school, TODAY)
    assert result.project is not None and not [d for d in result.diagnostics if d.is_error], \
        [str(d) for d in result.diagnostics if d.is_error]
    return result.project.trees_by_id


def words(step: Outcome) -> str:
    # An action's condition is read with it, as the page shows it ("If an attack is being planned: Call 999").
    texts = [step.title, step.summary or ""] + [f"if {a.if_}: {a.text}" if a.if_ else a.text
                                                for a in step.actions] + list(step.never)
    return " ".join(" ".join(texts).split()).lower()


# (who walks it, guide, answers clicked ('no': no child in immediate danger), the guide and step it must end on,
# phrases the step must say)
WALKS = [
    ("a teacher who noticed something", "concern-about-a-child", ["no", "a_child", "no", "yes"],
     ("concern-about-a-child", "tell_the_dsl_now"),
     ["tell the dsl", "never examine, undress or photograph", "never promise the child", "body map"]),
    ("a child telling a teacher", "concern-about-a-child", ["no", "a_child", "yes"],
     ("concern-about-a-child", "listen_to_the_child"),
     ["never promise the child", "never ask leading questions", "you will have to pass"]),
    ("a teacher told by a girl that she has had FGM", "concern-about-a-child", ["no", "fgm_known"],
     ("concern-about-a-child", "report_fgm_to_the_police"),
     ["police on **101** yourself", "tell the dsl", "never examine the girl", "if you teach",
      "if you do not teach", "the legal duty is not yours"]),
    ("the DSL refers to children's social care (review M6: the parents)", "concern-about-a-child",
     ["no", "a_child", "no", "yes", "next", "refer"], ("concern-about-a-child", "refer_to_childrens_social_care"),
     ['contact("childrens_social_care")', 'contact("out_of_hours")', "tell the parents or carers about the referral",
      "unless that would put the child at greater risk"]),
    ("a teacher told of a nude image (review M1, M2)", "concern-about-a-child", ["no", "a_nude_image"],
     ("sharing-nudes", "tell_dsl_about_image"),
     ["never view, copy, print, share, forward, screenshot", "never delete the image", "never promise the child",
      "keep it secure and give it to the dsl, without showing them the image"]),
    ("an adult at the school shared the image (review M3)", "sharing-nudes", ["no", "next", "yes"],
     ("sharing-nudes", "refer_to_police_and_social_care"),
     ["child sexual abuse", "chair of governors", "the lado must be told", "call 999"]),
    ("a pupil threatened with an image", "sharing-nudes", ["no", "next", "threatened"],
     ("sharing-nudes", "sexual_extortion"), ["never pay", "never delete the messages", "not their fault"]),
    ("none of the five cases", "sharing-nudes", ["no", "next", "no"], ("sharing-nudes", "dsl_handles_in_school"),
     ["tell the parents or carers, unless that would put a child at risk", "report_remove"]),
    ("a teacher shown an image of pupils", "indecent-images", ["no", "child_image", "children_only"],
     ("indecent-images", "tell_dsl_now"),
     ["never view the image again", "screenshot", "never promise the child", "never delete the image"]),
    ("an image sent to a teacher's own phone", "indecent-images", ["no", "child_image", "my_own_device"],
     ("indecent-images", "sent_to_my_own_device"),
     ["never open, view, copy, forward, screenshot", "never delete the image", "tell the dsl"]),
    ("an image on a colleague's device", "indecent-images", ["no", "child_image", "school_adult"],
     ("indecent-images", "staff_member_involved"),
     ["tell the head teacher", "chair of governors", "contact the lado at once", "never tell the colleague"]),
    ("extremist material found", "indecent-images", ["no", "extremist"], ("indecent-images", "extremist_material"),
     ["call **999**", "tell the dsl now", "never copy, download, forward or share"]),
    ("a pupil talking of an attack (review M5)", "radicalisation-concern", ["no"],
     ("radicalisation-concern", "tell_dsl_now"),
     ["an attack is being planned: call **999** first", "never promise the pupil",
      "never copy, download, forward or share extremist material"]),
    ("the DSL refers to Prevent (review M4)", "radicalisation-concern", ["no", "next", "prevent_referral"],
     ("radicalisation-concern", "prevent_referral"),
     ["national prevent referral form", 'contact("prevent")', "channel panel", "children's social care"]),
]


@pytest.mark.parametrize("who, guide, answers, ending, phrases", WALKS, ids=[w[0] for w in WALKS])
def test_the_walk_ends_where_it_must_and_says_what_it_must(trees, who, guide, answers, ending, phrases):
    reached_guide, step = walk_answers(trees, guide, answers)
    assert (reached_guide, step.id) == ending
    said = words(step)
    missing = [p for p in phrases if p.lower() not in said]
    assert not missing, f"{reached_guide}#{step.id} does not say {missing}"


def test_every_step_of_the_four_that_says_tell_the_dsl_links_the_route_when_the_dsl_cannot_be_reached(trees):
    for guide, step_id in [("concern-about-a-child", "tell_the_dsl_now"), ("sharing-nudes", "tell_dsl_about_image"),
                           ("indecent-images", "tell_dsl_now"), ("indecent-images", "sent_to_my_own_device"),
                           ("radicalisation-concern", "tell_dsl_now")]:
        step = next(n for n in trees[guide].nodes if n.id == step_id)
        assert "dsl-cannot-be-reached" in step.related_trees, f"{guide}#{step_id}"


def test_the_fgm_report_to_the_police_is_asked_of_those_who_teach(trees):
    # FGM Act 2003 s5B: the duty is a teacher's (the DSL review's M1, found in fgm-or-honour-based-abuse and the
    # same in this guide). Bug: the report's action shown to everyone as theirs by law (a volunteer told they
    # must call the police), or no action left for someone who does not teach.
    step = next(n for n in trees["concern-about-a-child"].nodes if n.id == "report_fgm_to_the_police")
    police = [a for a in step.actions if "101" in a.text]
    assert len(police) == 1 and police[0].if_ and "you teach" in police[0].if_
