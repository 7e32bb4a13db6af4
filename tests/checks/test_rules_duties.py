"""S404 (FGM mandatory reporting) and S405 (a route when the DSL cannot be reached), beyond the cases in
test_rules.py: which steps carry the duty, and where the route may be offered. On the rules-school fixture;
positions counted by hand (tell_dsl_now's id is at line 122, column 9; the guide ends at line 133)."""

from __future__ import annotations

from test_rules import TREE, W, project_with, rule_lines

FGM_TITLE = (TREE,
             "    title: Tell the DSL now\n    summary: Any concern about a child goes to the DSL straight away.\n",
             "    title: A girl tells you she has had FGM\n    summary: Report it to the police and tell the DSL.\n")
TELL_DSL = "      - text: Tell the DSL now, in person or by phone. Explain that you cannot keep it secret.\n"
POLICE_BY_YOU = ("      - text: Report it to the police on 101 yourself, by the end of the next working day.\n"
                 "        who: you\n        when: within 1 working day\n")


def test_a_known_case_of_fgm_reported_by_the_reader_and_told_to_the_dsl_passes(tmp_path):
    assert rule_lines(project_with(tmp_path, FGM_TITLE, (TREE, TELL_DSL, POLICE_BY_YOU + TELL_DSL))) == []


def test_the_dsl_calling_the_police_is_not_the_teachers_personal_report(tmp_path):
    by_the_dsl = POLICE_BY_YOU.replace("who: you", "who: dsl")
    assert rule_lines(project_with(tmp_path, FGM_TITLE, (TREE, TELL_DSL, by_the_dsl + TELL_DSL))) == [
        f"{W}122:9: S404 outcome 'tell_dsl_now' is about FGM but does not tell you to report it to the police "
        "yourself"]


def test_fgm_reported_to_the_police_but_not_to_the_dsl_is_refused(tmp_path):
    police_only = "      - text: Report it to the police on 101 yourself, by the end of the next working day.\n"
    root = project_with(tmp_path, FGM_TITLE, (TREE, TELL_DSL, police_only),
                        (TREE, "    contacts:\n      - dsl\n    cites: [child-protection#report-to-dsl]\n",
                         "    contacts:\n      - police_non_emergency\n    cites: [child-protection#report-to-dsl]\n"))
    assert rule_lines(root) == [
        f"{W}122:9: S401 outcome 'tell_dsl_now' of safeguarding guide 'worried-about-a-child' does not reach the DSL",
        f"{W}122:9: S404 outcome 'tell_dsl_now' is about FGM but does not tell the DSL"]


def test_a_girl_at_risk_of_fgm_goes_to_the_dsl(tmp_path):
    at_risk = (FGM_TITLE[0], FGM_TITLE[1], "    title: A girl may be at risk of FGM this summer\n"
                                           "    summary: Tell the DSL straight away.\n")
    assert rule_lines(project_with(tmp_path, at_risk)) == []


def test_the_fgm_duty_applies_in_england_and_wales_only(tmp_path):
    assert rule_lines(project_with(tmp_path, FGM_TITLE, ("school.yml", "nation: England", "nation: Scotland"))) == []


ROUTE_REMOVED = [(TREE, "    related_trees: [dsl-cannot-be-reached]\n    record: true\n  - kind: outcome\n"
                        "    id: tell_dsl_now\n", "    record: true\n  - kind: outcome\n    id: tell_dsl_now\n"),
                 (TREE, "      - dsl\n    cites: [child-protection#report-to-dsl]\n"
                        "    related_trees: [dsl-cannot-be-reached]\n    record: true\n",
                  "      - dsl\n    cites: [child-protection#report-to-dsl]\n    record: true\n")]
ALWAYS_AVAILABLE_ROUTE = ("  - kind: outcome\n    id: cannot_reach_the_dsl\n    title: I can't reach the DSL\n"
                          "    always_available: true\n    actions:\n      - text: Follow the guide, and tell the DSL "
                          "as soon as they can be reached.\n        who: you\n        when: immediately\n"
                          "    also_follow: [dsl-cannot-be-reached#speak_to_the_head_teacher]\n")


def test_the_route_may_be_a_link_on_every_step_of_the_guide(tmp_path):
    root = project_with(tmp_path, *ROUTE_REMOVED)
    # 'grooming_tell_dsl' (105) and 'tell_dsl_now' (now at 121) lost their route.
    assert rule_lines(root) == [
        f"{W}105:9: S405 outcome 'grooming_tell_dsl' tells you to tell the DSL but not what to do if neither the DSL "
        "nor a deputy can be reached",
        f"{W}121:9: S405 outcome 'tell_dsl_now' tells you to tell the DSL but not what to do if neither the DSL nor a "
        "deputy can be reached"]
    with (root / TREE).open("a", encoding="utf-8") as tree:
        tree.write(ALWAYS_AVAILABLE_ROUTE)
    assert rule_lines(root) == []


def test_a_parents_guide_needs_no_staff_route(tmp_path):
    root = project_with(tmp_path, *ROUTE_REMOVED, (TREE, "audiences:\n  - staff\n", "audiences:\n  - parents\n"))
    assert rule_lines(root) == []


def test_without_a_guide_for_it_there_is_no_route_to_offer(tmp_path):
    root = project_with(tmp_path, *ROUTE_REMOVED)
    (root / "decision_trees" / "dsl-cannot-be-reached.yml").unlink()
    assert rule_lines(root) == []
