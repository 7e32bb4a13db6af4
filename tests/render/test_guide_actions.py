"""Guide format v3, the action parts (issue 27 items 1-3): time limits as a kind plus the source's words, actions
on questions, either/or action groups, contacts on answers, and notes and cautions readers see.

On the trees v2 fixture project (tests/fixtures/trees-v2/), one edit per case; expected messages and page
fragments are written out by hand.
"""

from __future__ import annotations

from test_trees_v2 import CONCERN, edit, errors, page, project  # noqa: F401 (project is a fixture)

# --- time limits: a kind, and the source's own words ---------------------------------------


def test_a_time_limit_in_the_sources_words_shows_the_words_and_carries_the_kind(project):
    edit(project, CONCERN, "when: within 1 working day",
         'when: {kind: working_days, n: 1, says: "by the end of the next working day"}')
    text = page(project, "concern")
    # The words are the source's; the kind, in the tool's fixed words, is for the printed record.
    assert ('<strong class="tree-when" data-when="by the end of the next working day" data-when-kind="working_days" '
            'data-when-n="1" data-when-limit="within 1 working day">By the end of the next working day</strong>'
            ) in text


def test_a_review_at_intervals_and_a_deadline_before_an_event(project):
    edit(project, CONCERN, "when: within 1 working day",
         'when: {kind: at_intervals, every: [6 months, 12 months], says: "reviews at 6 and 12 months"}')
    edit(project, CONCERN, "when: same day",
         'when: {kind: before_event, event: the strategy meeting, says: "before the strategy meeting"}')
    text = page(project, "concern")
    assert ('data-when-kind="at_intervals" data-when-limit="at intervals: 6 months, 12 months">Reviews at 6 and 12 '
            'months</strong>') in text
    assert ('data-when-kind="before_event" data-when-limit="before the strategy meeting">Before the strategy '
            'meeting</strong>') in text


def test_the_short_forms_still_mean_their_kind(project):
    edit(project, CONCERN, "when: within 1 working day", "when: within 24 hours")
    assert 'data-when="within 24 hours" data-when-kind="hours" data-when-n="24" data-when-limit="within 24 hours"' \
        in page(project, "concern")


def test_markup_in_the_sources_words_stays_text(project):
    # Raw HTML is refused at the door (E206); what Markdown allows is converted and escaped, never run.
    edit(project, CONCERN, "when: within 1 working day",
         'when: {kind: days, n: 2, says: "within 2 days & *not* \\"later\\""}')
    text = page(project, "concern")
    assert '>Within 2 days &amp; <em>not</em> "later"</strong>' in text
    assert 'data-when="within 2 days &amp; *not* &#34;later&#34;"' in text


def test_a_script_in_the_sources_words_is_refused(project):
    edit(project, CONCERN, "when: within 1 working day", 'when: {kind: immediately, says: "<script>alert(1)</script>"}')
    assert errors(project) == [
        f"{CONCERN}:45:42: E206 raw HTML is not allowed in text (found '<script>alert(1)</sc') (write plain "
        "Markdown: **bold**, *italic*, [link text](https://…))"]


def test_an_unknown_kind_is_named_with_the_kinds_there_are(project):
    edit(project, CONCERN, "when: same day", "when: {kind: fortnightly, says: every two weeks}")
    assert errors(project) == [
        f"{CONCERN}:39:22: E205 'kind': 'fortnightly' is not allowed; expected 'immediately', 'minutes', 'hours', "
        "'same_day', 'working_days', 'days', 'as_soon_as_practicable', 'at_intervals' or 'before_event'"]


def test_a_counted_kind_needs_how_many(project):
    edit(project, CONCERN, "when: same day", "when: {kind: working_days, says: next working day}")
    assert errors(project) == [
        f"{CONCERN}:39:9: E205 a time limit of kind 'working_days' needs 'n' (how many), e.g. n: 1"]


def test_the_sources_words_are_required(project):
    edit(project, CONCERN, "when: same day", "when: {kind: days, n: 2}")
    assert errors(project) == [f"{CONCERN}:39:15: E202 missing required key 'says'"]


def test_reviews_need_their_intervals(project):
    edit(project, CONCERN, "when: same day", "when: {kind: at_intervals, says: reviews}")
    assert errors(project) == [
        f"{CONCERN}:39:9: E205 'every' (e.g. every: [6 months, 12 months]) is for the kind 'at_intervals', "
        "which needs it"]


# --- actions on questions, and either/or groups ----------------------------------------------

QUESTION_ACTION = """    decided_by: [you, dsl]
    actions:
      - text: Acknowledge the referral.
        who: dsl
        when: {kind: working_days, n: 1, says: "within one working day"}
"""
EITHER = """      - either:
          - text: Ring the DSL.
            who: you
            when: immediately
          - text: Find the deputy DSL in person.
            who: you
            when: immediately
      - text: Decide whether to refer."""


def test_a_questions_actions_are_shown_before_its_answers(project):
    edit(project, CONCERN, "    decided_by: [you, dsl]\n", QUESTION_ACTION)
    text = page(project, "concern")
    step = text[text.index('<section class="tree-step" id="what_happened"'):]
    step = step[:step.index("</section>")]
    assert ('<h3 id="what_happened-do">What to do</h3>\n<div class="tree-actions">\n<ol>\n<li class="tree-action">'
            '<p class="tree-action-head"><strong class="tree-when" data-when="within one working day" '
            'data-when-kind="working_days" data-when-n="1" data-when-limit="within 1 working day">Within one working '
            'day</strong> · <strong class="tree-who">The DSL:</strong></p>\n<p>Acknowledge the referral.</p>') in step
    assert step.index("What to do") < step.index('class="tree-answers"')


def test_an_either_group_is_shown_as_do_one_of_these(project):
    edit(project, CONCERN, "      - text: Decide whether to refer.", EITHER)
    text = page(project, "concern")
    assert ('<li class="tree-action tree-either"><p class="tree-action-head"><strong class="tree-either-title">'
            'Do one of these:</strong></p>\n<ul class="tree-either-options">\n<li class="tree-action">'
            '<p class="tree-action-head"><strong class="tree-when" data-when="immediately"') in text
    either = text[text.index("Do one of these:"):]
    either = either[:either.index("</ul>")]
    assert "<p>Ring the DSL.</p>" in either and "<p>Find the deputy DSL in person.</p>" in either


def test_an_either_group_needs_two_alternatives(project):
    edit(project, CONCERN, "      - text: Decide whether to refer.",
         "      - either:\n          - text: Ring the DSL.\n            who: you\n      - text: Decide whether to refer.")
    assert errors(project) == [f"{CONCERN}:40:9: E205 'either': needs at least 2 entries, has 1"]


def test_an_alternatives_role_and_citation_are_checked_where_they_are(project):
    edit(project, CONCERN, "      - text: Decide whether to refer.",
         EITHER.replace("who: you\n            when: immediately\n          - text: Find",
                        "who: yuo\n            when: immediately\n          - text: Find"))
    assert errors(project) == [f"{CONCERN}:42:18: E415 unknown role 'yuo' (did you mean 'you'?)"]


def test_a_questions_action_is_checked_like_an_outcomes(project):
    edit(project, CONCERN, "    decided_by: [you, dsl]\n", QUESTION_ACTION.replace("who: dsl", "who: dls"))
    assert errors(project) == [f"{CONCERN}:20:14: E415 unknown role 'dls' (did you mean 'dsl'?)"]


def test_a_script_in_an_alternative_is_refused_where_it_is(project):
    # Raw HTML is refused even in `code`: nothing from the data can become markup on a page.
    edit(project, CONCERN, "      - text: Decide whether to refer.",
         EITHER.replace("Ring the DSL.", "'Ring the DSL `<script>alert(1)</script>`.'"))
    assert errors(project) == [
        f"{CONCERN}:41:34: E206 raw HTML is not allowed in text (found '<script>alert(1)</sc') (write plain "
        "Markdown: **bold**, *italic*, [link text](https://…))"]


# --- notes and cautions readers see ----------------------------------------------------------

ALLEGATION = "decision_trees/allegation.yml"
NOTED_OUTCOME = """        when: immediately
        notes: ["Ask the office for the chair's number: it is not on the staff list."]
        cautions: ["Do not tell the adult concerned."]
    notes:
      - "This varies by local authority: check yours."
    cautions:
      - "Do not look into it yourself."
    editor_note: EDITOR-ONLY-WORDS check with the LADO
"""


def _noted_on_both_sites(project):
    edit(project, ALLEGATION, "audiences: [staff]", "audiences: [staff, parents]")
    edit(project, ALLEGATION, "        when: immediately\n", NOTED_OUTCOME)


def test_notes_and_cautions_are_shown_on_both_sites_and_the_editors_note_on_neither(project):
    _noted_on_both_sites(project)
    for site in ("staff", "parents"):
        text = page(project, "allegation", site=site)
        step = text[text.index('<section class="tree-step" id="report_allegation"'):]
        step = step[:step.index("</section>")]
        assert ('<div class="admonition warning tree-cautions tree-step-notes">\n<p class="admonition-title">Caution'
                '</p>\n<p>Do not look into it yourself.</p>\n</div>') in step, site
        assert ('<div class="admonition note tree-notes tree-step-notes">\n<p class="admonition-title">Note</p>\n'
                '<p>This varies by local authority: check yours.</p>\n</div>') in step, site
        # An action's own, inside the action (before what it rests on).
        action = step[step.index('<li class="tree-action">'):step.index("</li>")]
        assert ('<div class="admonition warning tree-cautions tree-action-notes">\n<p class="admonition-title">'
                'Caution</p>\n<p>Do not tell the adult concerned.</p>') in action, site
        assert "<p>Ask the office for the chair's number: it is not on the staff list.</p>" in action, site
        assert "EDITOR-ONLY-WORDS" not in text, site


def test_a_questions_note_is_shown_before_its_answers(project):
    edit(project, CONCERN, "    answers:\n      - {id: told,",
         "    notes: [Your local authority may use its own form.]\n    answers:\n      - {id: told,")
    text = page(project, "concern")
    step = text[text.index('<section class="tree-step" id="what_happened"'):]
    assert step.index("<p>Your local authority may use its own form.</p>") < step.index('class="tree-answers"')


def test_a_script_in_a_note_is_refused_where_it_is(project):
    edit(project, CONCERN, "    answers:\n      - {id: told,",
         "    notes: ['See <script>alert(1)</script>']\n    answers:\n      - {id: told,")
    assert errors(project) == [
        f"{CONCERN}:24:18: E206 raw HTML is not allowed in text (found '<script>alert(1)</sc') (write plain "
        "Markdown: **bold**, *italic*, [link text](https://…))"]


def test_markdown_in_a_caution_is_converted_and_escaped(project):
    edit(project, CONCERN, "    answers:\n      - {id: told,",
         "    cautions: ['Never say \"I promise\" & *never* ask why']\n    answers:\n      - {id: told,")
    assert "<p>Never say \"I promise\" &amp; <em>never</em> ask why</p>" in page(project, "concern")


# --- contacts on answers ---------------------------------------------------------------------


def test_an_answers_contacts_are_shown_with_it(project):
    edit(project, CONCERN, "      - {id: adult, label: It is about an adult, next: \"allegation#report_allegation\"}",
         "      - {id: adult, label: It is about an adult, next: \"allegation#report_allegation\", "
         "contacts: [nspcc_helpline]}")
    text = page(project, "concern")
    answer = text[text.index('data-answer="adult"'):]
    answer = answer[:answer.index("</li>\n<li>")]
    assert '<ul class="tree-answer-contacts">\n<li><strong>NSPCC helpline' in answer
    assert "(contacts: NSPCC helpline" in text  # and in the whole-tree overview


def test_an_answers_unknown_contact_is_located(project):
    edit(project, CONCERN, "      - {id: nothing, label: Nothing needs doing, next: nothing_more}",
         "      - {id: nothing, label: Nothing needs doing, next: nothing_more, contacts: [lado_office]}")
    assert [line.split(" (")[0] for line in errors(project)] == [
        f"{CONCERN}:27:82: E405 unknown contact 'lado_office': it is not in school.yml nor the built-in services"]


# --- shapes that fit no form: one located message each ---------------------------------------


def test_a_time_limit_that_is_a_list_is_one_located_message(project):
    edit(project, CONCERN, "when: same day", "when: [1, 2]")
    assert errors(project) == [
        f"{CONCERN}:39:9: E205 'when': a time limit is text such as 'within 1 working day', or the source's words "
        "with their kind: {kind: working_days, n: 1, says: 'next working day'}"]


def test_an_either_group_with_an_actions_key_names_its_own_keys(project):
    edit(project, CONCERN, "      - text: Decide whether to refer.",
         "      - either: [{text: a, who: you}, {text: b, who: you}]\n        text: extra\n"
         "      - text: Decide whether to refer.")
    assert errors(project) == [f"{CONCERN}:41:9: E201 unknown key 'text' (allowed keys: either)"]
