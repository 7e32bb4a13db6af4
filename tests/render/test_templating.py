"""generator/render/templating.py: compiled templates kept between environments, never used where they differ.

Hand-written expectations: what jinja2 prints for one template under each option, written out here."""

from __future__ import annotations

import jinja2

from generator.render.templating import compiled_templates


def _env(folder, autoescape: bool, kind: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=autoescape,
                              bytecode_cache=compiled_templates(kind))


def test_an_escaping_environment_never_gets_code_compiled_without_escaping(tmp_path):
    """Bug caught: one cache for every kind of environment. The cache's key is the template's name and
    source, not the options, so the HTML environment would run the Markdown environment's compiled code
    and print '<script>' from the data unescaped."""
    (tmp_path / "t.html").write_text("{{ value }}", encoding="utf-8")
    assert _env(tmp_path, False, "test-plain").get_template("t.html").render(value="<script>") == "<script>"
    escaped = _env(tmp_path, True, "test-escaped").get_template("t.html").render(value="<script>")
    assert escaped == "&lt;script&gt;"


def test_a_template_edited_between_renders_is_compiled_again(tmp_path):
    """The live preview renders after every save: an edited template must never run as it was."""
    template = tmp_path / "t.md"
    template.write_text("before {{ n }}", encoding="utf-8")
    assert _env(tmp_path, False, "test-edit").get_template("t.md").render(n=1) == "before 1"
    template.write_text("after {{ n }}", encoding="utf-8")
    assert _env(tmp_path, False, "test-edit").get_template("t.md").render(n=2) == "after 2"


def test_the_compiled_code_is_kept_between_environments(tmp_path):
    (tmp_path / "t.md").write_text("{{ n }}", encoding="utf-8")
    _env(tmp_path, False, "test-kept").get_template("t.md")
    assert len(compiled_templates("test-kept")._store) == 1
    _env(tmp_path, False, "test-kept").get_template("t.md").render(n=1)
    assert len(compiled_templates("test-kept")._store) == 1
