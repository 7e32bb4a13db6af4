"""Issue 25, item 5: section numbers on the site are the document's own everywhere.

The example policy with its first section numbered 0 (as the importer numbers text before a document's first
heading): the front page's contents and the section pages' headings show '0', '2', '3.1' as written, never
positions ('1, 2, 3') or letters ('a. 3.1').
"""

from __future__ import annotations

import dataclasses
import re


def _renumbered(project):
    policy = project.policies[0]
    sections = [policy.sections[0].model_copy(update={"number": "0"})] + list(policy.sections[1:])
    policy = policy.model_copy(update={"sections": sections})
    return dataclasses.replace(project, policies=[policy] + list(project.policies[1:])), policy


def test_the_front_page_contents_use_the_documents_numbers(wexham_project):
    from generator.pipeline import BASE_CONFIG, THEME_DIR
    from generator.render.renderer import render_project

    project, policy = _renumbered(wexham_project)
    rendered = render_project(project, BASE_CONFIG, THEME_DIR)["staff"].docs
    front = rendered[f"policies/{policy.id}/index.md"]
    contents = front.split("## Contents", 1)[1].split("\n## ", 1)[0]
    # read off the fixture: social-media.yml's sections 1-7 (the first now 0), section 3's sub-sections 3.1-3.5
    tops = re.findall(r"^- \[(\d+)\. ", contents, re.M)
    subs = re.findall(r"^ {4}- \[([\d.]+) ", contents, re.M)
    assert tops == ["0", "2", "3", "4", "5", "6", "7"]
    assert subs == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    assert not re.search(r"^\s*1\. \[", contents, re.M), "a Markdown ordered list numbers by position"
    first = rendered[f"policies/{policy.id}/{policy.sections[0].id}.md"]
    assert f"\n# 0. {policy.sections[0].title}\n" in first
