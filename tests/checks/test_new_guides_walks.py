"""The staff guides for the situations a primary DSL meets every term (issue 28, item 2), walked answer by answer.

Each walk below is a reader's route written out by hand from the statutory guidance the guide follows: the
answers clicked, the step it must end on, and what that step must say (the duty, the never-list, the route
when the DSL cannot be reached). The walker follows the answers through the loaded guide one by one, so a
wrong `next`, a dropped answer or a lost duty shows up as the walk that now ends elsewhere. Every outcome of
every new guide is the ending of at least one walk, so a step added without a walk fails here too.

The guides are read from the example school (tests/fixtures/wexham), which holds copies of the root school's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from generator.load.models import Action, DecisionTree, Outcome, Question
from generator.pipeline import check
from support import TODAY, WEXHAM

NEW_GUIDES = (
    "harmful-sexual-behaviour", "marks-or-injuries", "fgm-or-honour-based-abuse", "child-not-collected",
    "missing-child", "self-harm-or-suicidal-thoughts", "filtering-or-monitoring-alert",
)
CANNOT_REACH = "dsl-cannot-be-reached#is_a_senior_leader_available"
ALLEGATION = "allegation-about-staff#who_is_it_about"
SHARED_DANGER_STEPS = {"call_999_now", "get_dsl_now"}
"""The shared immediate-danger group's outcomes (walked in tests/test_tree_content.py for every guide)."""


@dataclass(frozen=True)
class Walk:
    guide: str
    answers: tuple[str, ...]
    """The answer ids clicked in order; 'next' follows an outcome's next step."""
    ends: str
    """The step id the walk must end on (or 'tree-id#step_id' when it leaves the guide)."""
    says: tuple[str, ...] = ()
    """Words (lower case) the ending's title, summary or actions must contain."""
    never: tuple[str, ...] = ()
    """Words (lower case) the ending's never-list must contain."""
    contacts: frozenset[str] = field(default_factory=frozenset)
    urgent: bool | None = None


def walk(guide: str, answers: tuple[str, ...], ends: str, *, says=(), never=(), contacts=(), urgent=None) -> Walk:
    return Walk(guide, answers, ends, tuple(says), tuple(never), frozenset(contacts), urgent)


# The answer to the shared first question ("Is a child in immediate danger?") is written first in every walk.
WALKS = [
    # --- harmful sexual behaviour (KCSIE 2025 Part five) -----------------------------------------------------
    walk("harmful-sexual-behaviour", ("yes",), "call_999_now", says=("999",), urgent=True),
    walk("harmful-sexual-behaviour", ("not_sure",), "get_dsl_now", urgent=True),
    walk("harmful-sexual-behaviour", ("no", "child_told_me"), "listen_to_the_child",
         never=("promise", "secret", "leading questions"), contacts={"dsl"}),
    walk("harmful-sexual-behaviour", ("no", "child_told_me", "next"), "keep_children_safe_and_tell_the_dsl",
         says=("apart", "supervised", "tell the dsl")),
    walk("harmful-sexual-behaviour", ("no", "i_saw_or_heard", "next", "police"), "report_to_the_police",
         says=("police", "under 10", "risk assessment"), contacts={"police_non_emergency", "childrens_social_care"},
         urgent=True),
    walk("harmful-sexual-behaviour", ("no", "i_saw_or_heard", "next", "social_care"), "refer_to_childrens_social_care",
         says=("refer",), contacts={"childrens_social_care"}),
    walk("harmful-sexual-behaviour", ("no", "not_sure", "next", "not_sure"), "refer_to_childrens_social_care"),
    walk("harmful-sexual-behaviour", ("no", "i_saw_or_heard", "next", "early_help"), "early_help_support",
         says=("early help",)),
    walk("harmful-sexual-behaviour", ("no", "i_saw_or_heard", "next", "in_school", "next", "police"),
         "report_to_the_police"),
    walk("harmful-sexual-behaviour", ("no", "i_saw_or_heard", "next", "in_school"), "manage_in_school",
         never=("banter",)),
    walk("harmful-sexual-behaviour", ("no", "an_image"), "sharing-nudes#tell_dsl_about_image"),
    walk("harmful-sexual-behaviour", ("no", "an_adult_at_school"), ALLEGATION),

    # --- marks or injuries --------------------------------------------------------------------------------------
    walk("marks-or-injuries", ("yes",), "call_999_now", urgent=True),
    walk("marks-or-injuries", ("no", "yes"), "get_first_aid_then_tell_the_dsl", says=("first aid", "999"),
         never=("photograph",), urgent=True),
    walk("marks-or-injuries", ("no", "yes", "next"), "record_on_a_body_map_and_tell_the_dsl"),
    walk("marks-or-injuries", ("no", "no", "child_says_hurt"), "listen_to_the_child",
         never=("examine", "photograph", "parent", "promise")),
    walk("marks-or-injuries", ("no", "no", "unexplained"), "record_on_a_body_map_and_tell_the_dsl",
         says=("body map", "before the child goes home", "own words"),
         never=("examine", "undress", "photograph", "question the parent")),
    walk("marks-or-injuries", ("no", "no", "not_sure"), "record_on_a_body_map_and_tell_the_dsl"),
    walk("marks-or-injuries", ("no", "no", "adult_at_school"), ALLEGATION),
    walk("marks-or-injuries", ("no", "no", "hurt_themselves"),
         "self-harm-or-suicidal-thoughts#what_has_the_child_said_or_done"),
    walk("marks-or-injuries", ("no", "no", "unexplained", "next", "yes"), "refer_to_childrens_social_care",
         says=("before the end of the school day", "go home"), contacts={"childrens_social_care", "out_of_hours"}),
    walk("marks-or-injuries", ("no", "no", "unexplained", "next", "not_sure"), "refer_to_childrens_social_care"),
    walk("marks-or-injuries", ("no", "no", "unexplained", "next", "needs_support"), "early_help_for_the_family"),
    walk("marks-or-injuries", ("no", "no", "unexplained", "next", "no"), "record_and_watch", says=("pattern",)),

    # --- FGM and honour-based abuse (FGM Act 2003 s5B) ------------------------------------------------------
    walk("fgm-or-honour-based-abuse", ("yes",), "call_999_now", urgent=True),
    walk("fgm-or-honour-based-abuse", ("no", "girl_told_me"), "report_known_fgm_to_the_police",
         says=('contact("police_non_emergency")', "yourself", "next working day", "tell the dsl", "if you teach",
               "if you do not teach", "the legal duty is not yours", "when the person who found out does not teach"),
         never=("examine", "cannot be passed on"),
         contacts={"police_non_emergency", "dsl"}),
    walk("fgm-or-honour-based-abuse", ("no", "signs_seen"), "report_known_fgm_to_the_police"),
    walk("fgm-or-honour-based-abuse", ("no", "at_risk"), "girl_at_risk_of_fgm", says=("tell the dsl", "999"),
         never=("family",)),
    walk("fgm-or-honour-based-abuse", ("no", "not_sure"), "girl_at_risk_of_fgm"),
    walk("fgm-or-honour-based-abuse", ("no", "forced_marriage"), "forced_marriage_or_honour_based_abuse",
         says=("one chance", "999"), never=("send the pupil away", "family", "interpreters"), urgent=True),
    walk("fgm-or-honour-based-abuse", ("no", "honour_based_abuse"), "forced_marriage_or_honour_based_abuse"),

    # --- a child not collected, or an unfit carer; Operation Encompass -------------------------------------
    walk("child-not-collected", ("yes",), "call_999_now", urgent=True),
    walk("child-not-collected", ("no", "not_collected"), "no_one_has_come",
         says=("two members of staff", "emergency contact", "children's social care"),
         never=("take the child home",), contacts={"childrens_social_care", "out_of_hours"}),
    walk("child-not-collected", ("no", "unfit"), "adult_unfit_to_collect", says=("999", "another adult"),
         never=("physically",)),
    walk("child-not-collected", ("no", "not_sure"), "adult_unfit_to_collect"),
    walk("child-not-collected", ("no", "unknown_adult"), "unknown_adult_at_collection",
         says=("on the child's record",), never=("not named",)),
    walk("child-not-collected", ("no", "operation_encompass"), "operation_encompass_notice",
         says=("key adult", "before the child arrives"), never=("parents",)),

    # --- a child missing now, or missing education ------------------------------------------------------------
    walk("missing-child", ("yes",), "call_999_now", urgent=True),
    walk("missing-child", ("no", "missing_now"), "search_for_the_child_now", says=("999", "search", "last seen"),
         never=("unsupervised",), urgent=True),
    walk("missing-child", ("no", "not_sure"), "search_for_the_child_now"),
    walk("missing-child", ("no", "not_arrived"), "unexplained_absence_today", says=("first", "social worker")),
    walk("missing-child", ("no", "stopped_coming"), "child_missing_education",
         says=("10 school days", "local authority", "reasonable enquiries"), never=("register",)),

    # --- self-harm or suicidal talk ---------------------------------------------------------------------------
    walk("self-harm-or-suicidal-thoughts", ("yes",), "call_999_now", urgent=True),
    walk("self-harm-or-suicidal-thoughts", ("no", "yes"), "get_medical_help_now", says=("999", "tablets"),
         never=("alone",), urgent=True),
    walk("self-harm-or-suicidal-thoughts", ("no", "not_sure"), "get_medical_help_now"),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "suicidal_talk"), "stay_with_the_child_and_get_the_dsl",
         says=("stay with the child", "999"), never=("alone", "promise"), urgent=True),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "self_harm"), "listen_and_tell_the_dsl",
         says=("tell the dsl",), never=("wounds", "promise", "parents")),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "worried_about_mood"), "listen_and_tell_the_dsl"),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "not_sure"), "listen_and_tell_the_dsl"),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "adult_at_school"), ALLEGATION),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "suicidal_talk", "next", "yes"), "refer_for_urgent_help",
         says=("urgent mental health help", "children's social care"), urgent=True),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "self_harm", "next", "not_sure"), "refer_for_urgent_help"),
    walk("self-harm-or-suicidal-thoughts", ("no", "no", "self_harm", "next", "no"), "support_plan_with_the_parents",
         contacts={"childline"}),

    # --- a filtering or monitoring alert, or harmful content seen ---------------------------------------------
    walk("filtering-or-monitoring-alert", ("yes",), "call_999_now", urgent=True),
    walk("filtering-or-monitoring-alert", ("no", "child_saw_content"), "child_has_seen_harmful_content",
         says=("not in trouble", "tell the dsl", "web address"), never=("screenshot", "blame")),
    walk("filtering-or-monitoring-alert", ("no", "alert_about_a_child"), "alert_about_a_child", says=("dsl",)),
    walk("filtering-or-monitoring-alert", ("no", "not_sure"), "alert_about_a_child"),
    walk("filtering-or-monitoring-alert", ("no", "filter_failed"), "filter_not_working", says=("it lead",),
         never=("screenshot",)),
    walk("filtering-or-monitoring-alert", ("no", "alert_about_an_adult"), ALLEGATION),
    walk("filtering-or-monitoring-alert", ("no", "sexual_image_of_a_child"), "indecent-images#who_is_involved"),
    walk("filtering-or-monitoring-alert", ("no", "terrorist_material"), "indecent-images#extremist_material"),
]


@pytest.fixture(scope="module")
def guides() -> dict[str, DecisionTree]:
    result = check(WEXHAM, TODAY)
    assert result.project is not None, "\n".join(str(d) for d in result.diagnostics if d.is_error)
    return result.project.trees_by_id


def follow(tree: DecisionTree, answers: tuple[str, ...]) -> str:
    """Click the answers in order from the guide's first step; the step reached (or 'tree#step' outside it)."""
    nodes = {node.id: node for node in tree.nodes}
    here = tree.nodes[0].id
    for clicked in answers:
        node = nodes[here]
        if clicked == "next":
            assert isinstance(node, Outcome) and node.next_step, f"{tree.id}: step '{here}' has no next step"
            here = node.next_step.next
        else:
            assert isinstance(node, Question), f"{tree.id}: '{here}' is an outcome, not a question ({answers})"
            offered = {answer.id: answer.next for answer in node.answers}
            assert clicked in offered, f"{tree.id}: '{here}' offers {sorted(offered)}, not '{clicked}'"
            here = offered[clicked]
        if "#" in here:
            break
    return here


def _words(outcome: Outcome) -> str:
    texts = [outcome.title, outcome.summary, *(action.text for action in outcome.actions)]
    return " ".join(str(text) for text in texts).lower().replace("’", "'")


def _roles(action: Action) -> set[str]:
    who = action.who
    items = who if isinstance(who, list) else [who]
    return {item if isinstance(item, str) else item.role for item in items}


@pytest.mark.parametrize("route", WALKS, ids=[f"{w.guide}:{'>'.join(w.answers)}" for w in WALKS])
def test_the_walk_ends_where_the_guidance_says(guides, route: Walk):
    tree = guides[route.guide]
    reached = follow(tree, route.answers)
    assert reached == route.ends
    if "#" in reached:
        return
    outcome = {node.id: node for node in tree.nodes}[reached]
    assert isinstance(outcome, Outcome)
    words = _words(outcome)
    missing = [w for w in route.says if w not in words]
    assert not missing, f"{route.guide}/{reached} no longer says {missing}"
    never = " ".join(str(item) for item in outcome.never).lower()
    missing = [w for w in route.never if w not in never]
    assert not missing, f"{route.guide}/{reached}: its never-list no longer says {missing}"
    assert route.contacts <= set(outcome.contacts)
    if route.urgent is not None:
        assert outcome.urgent is route.urgent


def test_every_outcome_of_the_new_guides_ends_a_walk(guides):
    ended = {(w.guide, w.ends) for w in WALKS}
    unwalked = [f"{guide}/{node.id}" for guide in NEW_GUIDES for node in guides[guide].nodes
                if isinstance(node, Outcome) and not node.always_available and (guide, node.id) not in ended
                and node.id not in SHARED_DANGER_STEPS]
    assert not unwalked, "outcomes no walk ends on (write one): " + ", ".join(unwalked)


def test_the_fgm_duty_is_the_readers_own_and_the_dsl_is_told(guides):
    """FGM Act 2003 s5B: the teacher reports a known case to the police personally (101, by the end of the next
    working day); the DSL is told at once. Not left to the DSL, not 'the same day' for the DSL."""
    outcome = {n.id: n for n in guides["fgm-or-honour-based-abuse"].nodes}["report_known_fgm_to_the_police"]
    police = [a for a in outcome.actions if "you" in _roles(a) and "police" in str(a.text).lower()
              and ("101" in str(a.text) or 'contact("police_non_emergency")' in str(a.text))]
    assert police and police[0].when == "within 1 working day"
    dsl = [a for a in outcome.actions if "you" in _roles(a) and "tell the dsl" in str(a.text).lower()]
    assert dsl and dsl[0].when == "immediately"


@pytest.mark.parametrize("guide", NEW_GUIDES)
def test_every_new_guide_offers_the_route_when_the_dsl_cannot_be_reached(guides, guide):
    steps = [node for node in guides[guide].nodes if isinstance(node, Outcome) and node.always_available]
    assert [CANNOT_REACH] in [list(step.also_follow) for step in steps]
    assert {"head_teacher", "childrens_social_care"} <= set(steps[0].contacts)


@pytest.mark.parametrize("guide", NEW_GUIDES)
def test_every_new_guide_starts_by_asking_about_immediate_danger(guides, guide):
    first = guides[guide].nodes[0]
    assert first.id == "is_child_in_immediate_danger"
    assert follow(guides[guide], ("yes",)) == "call_999_now"
