"""The strict YAML loader: values mean what the author wrote, and every bad file gets a located message."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.load.diagnostics import Diagnostic, DiagnosticError
from generator.load.files import MAX_FILE_BYTES, read_text
from generator.load.loader import load_project
from generator.load.strict_yaml import MAX_DEPTH, load_yaml
import yaml

from generator.load import strict_yaml

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, content: str | bytes, name: str = "data.yml") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else textwrap.dedent(content).encode("utf-8"))
    return path


def load(tmp_path: Path, content: str | bytes):
    return load_yaml(write(tmp_path, content), "data.yml")


def problems(tmp_path: Path, content: str | bytes) -> list[str]:
    with pytest.raises(DiagnosticError) as caught:
        load(tmp_path, content)
    return [str(d) for d in caught.value.diagnostics]


# --- values mean what the author wrote --------------------------------------------------------

def test_every_scalar_is_kept_as_written(tmp_path):
    source = load(tmp_path, """\
        label: no
        answer: No
        flag: yes
        version: 1.0
        number: 1.10
        octal: 0o17
        date: 2024-09-01
        month: 2024-09
        time: 12:30
        nothing:
        tilde: ~
        quoted_tilde: "~"
        empty_quotes: ""
        on: the key stays 'on'
        null_word: null
    """)
    assert source.data == {
        "label": "no", "answer": "No", "flag": "yes", "version": "1.0", "number": "1.10", "octal": "0o17",
        "date": "2024-09-01", "month": "2024-09", "time": "12:30", "nothing": None, "tilde": None,
        "quoted_tilde": "~", "empty_quotes": "", "on": "the key stays 'on'", "null_word": None,
    }


def test_positions_of_keys_and_values(tmp_path):
    source = load(tmp_path, """\
        id: x
        nodes:
          - kind: question
            answers:
              - next: b
    """)
    assert source.position(("nodes", 0, "answers", 0, "next")) == (5, 15)
    assert source.key_position(("nodes", 0, "answers", 0, "next")) == (5, 9)
    assert source.position(("nodes", 0, "nowhere", 3)) == (3, 5)  # nearest enclosing value


def test_plain_core_tags_are_allowed_and_keep_the_text(tmp_path):
    assert load(tmp_path, "a: !!str 1.0\nb: !!int 7\n").data == {"a": "1.0", "b": "7"}


def test_windows_and_old_mac_line_endings(tmp_path):
    source = load(tmp_path, b"a: 1\r\nb:\r\n  c: 2\r\n")
    assert source.data == {"a": "1", "b": {"c": "2"}}
    assert source.position(("b", "c")) == (3, 6)
    assert load(tmp_path, b"a: 1\rb: 2\r").data == {"a": "1", "b": "2"}


def test_utf8_with_a_byte_order_mark_is_fine(tmp_path):
    assert load(tmp_path, "\ufeffa: café\n".encode("utf-8")).data == {"a": "café"}


def test_hashtag_after_text_is_a_warning(tmp_path):
    source = load(tmp_path, "text: Use #StopBullying online\nphone: 999  # police\nnote: >-  # editor's note\n  body\n")
    assert source.data["text"] == "Use"
    assert [str(w) for w in source.warnings] == [
        "data.yml:1:11: W504 warning: '#StopBullying' is read as a comment, not as part of the text 'Use' "
        "(to keep it in the text, put the whole value in double quotes)"]


# --- refused, with the position ----------------------------------------------------------------

@pytest.mark.parametrize("content, expected", [
    ("a: 1\nb: 2\na: 3\n",
     "data.yml:3:1: E105 duplicate key 'a' (first given at line 1): YAML would silently keep only the last one"),
    ('"a": 1\na: 2\n', "data.yml:2:1: E105 duplicate key 'a' (first given at line 1): "
                       "YAML would silently keep only the last one"),
    ("a: &x 1\nb: *x\n", "data.yml:1:4: E103 YAML anchor '&x' is not allowed: write the value out in full"),
    ("a: *x\n", "data.yml:1:4: E103 YAML alias '*x' is not allowed: write the value out in full "
                "(if it is text starting with '*', put the whole value in double quotes)"),
    ("a: *Never* share\n", "data.yml:1:4: E102 YAML syntax error: a value cannot start with '*' (YAML reads it as "
                           "an alias) (put the whole value in double quotes, e.g. text: \"*Never* share it\")"),
    ("a: !!python/object/apply:os.system [ls]\n",
     "data.yml:1:4: E103 YAML tag '!!python/object/apply:os.system' is not allowed: write the value as plain text, "
     "in double quotes if it starts with '!'"),
    ("a: !!set {x}\n", "data.yml:1:4: E103 YAML tag '!!set' is not allowed: write the value as plain text, "
                       "in double quotes if it starts with '!'"),
    ("a: 1\n<<: {b: 2}\n", "data.yml:2:1: E103 YAML merge keys ('<<') are not allowed"),
    ("? [a, b]\n: c\n", "data.yml:1:3: E104 a key must be plain text"),
    ("a: b: c\n", "data.yml:1:5: E102 YAML syntax error: ': ' inside a value (put the whole value in double quotes, "
                  "or check the indentation of this line)"),
    ('a: "open\nb: c\n', "data.yml:1:4: E102 YAML syntax error: a quotation mark is opened but never closed "
                         "(close the quotes on the same value)"),
    ("a: 1\n---\nb: 2\n", "data.yml:2:1: E102 YAML syntax error: a second document starts here ('---') "
                          "(a data file holds one document: remove the '---' line or move what follows to its own file)"),
])
def test_refused_with_a_located_message(tmp_path, content, expected):
    assert problems(tmp_path, content) == [expected]


def test_every_tab_indented_line_is_reported(tmp_path):
    assert problems(tmp_path, b"a:\n\tb: 1\nc:\n  \td: 2\n") == [
        "data.yml:2:1: E102 line is indented with a tab: YAML needs spaces (in VS Code, 'Convert Indentation to Spaces')",
        "data.yml:4:3: E102 line is indented with a tab: YAML needs spaces (in VS Code, 'Convert Indentation to Spaces')",
    ]


@pytest.mark.parametrize("content, expected", [
    (b"", "data.yml:1:1: E101 file is empty: expected YAML data"),
    (b"  \n\n", "data.yml:1:1: E101 file is empty: expected YAML data"),
    (b"# just a comment\n", "data.yml:1:1: E101 file is empty: expected YAML data"),
    (b"a: 1\nb: caf\xe9\n", "data.yml:2:7: E101 file is not UTF-8 (byte 0xe9): save it as UTF-8 in your editor"),
    ("a: 1\n".encode("utf-16"), "data.yml:1:1: E101 file is saved as UTF-16: save it as UTF-8 "
                                "(in VS Code, click 'UTF-16' in the status bar, then 'Save with Encoding')"),
    (b"a: 1\nb: \x00\x01\x02", "data.yml:2:1: E101 file contains binary data (a NUL byte): is this really a text file?"),
    (b"a: 1\nb: x\x1by\n", "data.yml:2:5: E101 file contains the control character U+001B: "
                           "delete it (it is invisible in most editors)"),
    ("a: x\u2028y\n".encode(), "data.yml:1:5: E101 unusual line break U+2028 (LINE SEPARATOR), often pasted from a "
                               "word processor: replace it with an ordinary new line"),
])
def test_unreadable_files(tmp_path, content, expected):
    assert problems(tmp_path, content) == [expected]


def test_size_limit(tmp_path):
    ok = b"a: 1\n" + b"#" * (MAX_FILE_BYTES - 6) + b"\n"
    assert len(ok) == MAX_FILE_BYTES
    assert load(tmp_path, ok).data == {"a": "1"}
    assert problems(tmp_path, ok + b"\n") == [
        f"data.yml:1:1: E101 file is over the limit of {MAX_FILE_BYTES:,} bytes: "
        "split it or check it is the right file"]


def test_nesting_limit(tmp_path):
    assert load(tmp_path, "a: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n").data["a"]
    assert problems(tmp_path, "a: " + "[" * MAX_DEPTH + "x" + "]" * MAX_DEPTH + "\n") == [
        f"data.yml:1:{3 + MAX_DEPTH}: E102 the data is nested more than {MAX_DEPTH} levels deep: check the indentation"]


def test_deep_nesting_attack_is_no_recursion_error(tmp_path):
    # 400,000 brackets would exhaust Python's stack in PyYAML's composer.
    found = problems(tmp_path, "[" * 200_000 + "]" * 200_000)
    assert len(found) == 1 and " E102 " in found[0]


def test_a_directory_named_like_a_data_file(tmp_path):
    (tmp_path / "data.yml").mkdir()
    with pytest.raises(DiagnosticError) as caught:
        load_yaml(tmp_path / "data.yml", "data.yml")
    assert str(caught.value.diagnostics[0]) == ("data.yml:1:1: E107 a folder, not an ordinary file: data files must be "
                                                "ordinary files inside the project (replace it with a copy of the "
                                                "file itself)")


ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))

_MEASURE = """
import json, resource, subprocess, sys, time
child = subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]], capture_output=True, text=True)
print(json.dumps({"child": child.stdout, "stderr": child.stderr, "returncode": child.returncode,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""
_LOAD_BOMB = """
import sys, time
from pathlib import Path
from generator.load.diagnostics import DiagnosticError
from generator.load.strict_yaml import load_yaml
start = time.process_time()
try:
    load_yaml(Path(sys.argv[1]), "bomb.yml")
    print("loaded")
except DiagnosticError as error:
    print(f"{time.process_time() - start:.4f} {error}")
"""


def test_alias_bomb_is_refused_fast_and_small(tmp_path):
    """A billion-laughs file (10^9 'lol's if expanded) is refused at its first anchor.

    The loader runs in a grandchild process so that ru_maxrss (RUSAGE_CHILDREN) covers only it.
    """
    bomb = write(tmp_path, ALIAS_BOMB, "bomb.yml")
    measured = subprocess.run([sys.executable, "-c", _MEASURE, _LOAD_BOMB, str(bomb)], cwd=REPO,
                              capture_output=True, text=True, timeout=60)
    report = json.loads(measured.stdout)
    assert report["returncode"] == 0, report["stderr"]
    seconds, message = report["child"].split(" ", 1)
    assert message.strip() == "bomb.yml:1:4: E103 YAML anchor '&a' is not allowed: write the value out in full"
    megabytes = report["maxrss_kb"] / 1024
    print(f"\nalias bomb: refused in {float(seconds) * 1000:.1f} ms of CPU; peak memory {megabytes:.0f} MB")
    assert float(seconds) < 1.0
    assert megabytes < 200


def test_alias_bomb_in_a_project_through_the_command_line(tmp_path):
    """The same bomb as a tree in a project, through `python -m generator check`: the whole process stays small."""
    (tmp_path / "decision_trees").mkdir()
    write(tmp_path / "decision_trees", ALIAS_BOMB, "bomb.yml")
    command = "import runpy, sys; sys.argv = ['generator'] + sys.argv[1:]; runpy.run_module('generator', run_name='__main__')"
    runner = _MEASURE.replace('[sys.executable, "-c", sys.argv[1], sys.argv[2]]',
                              '[sys.executable, "-c", sys.argv[1], "check", "--project", sys.argv[2]]')
    # The child's CPU time, not the wall clock: the same on a machine busy with other tests (make test runs
    # them in parallel) as on an idle one, and a bomb that expanded would spend it.
    runner = runner.replace('"returncode": child.returncode,', '"returncode": child.returncode, "cpu_seconds": sum('
                            'resource.getrusage(resource.RUSAGE_CHILDREN)[:2]),')
    measured = subprocess.run([sys.executable, "-c", runner, command, str(tmp_path)], cwd=REPO,
                              capture_output=True, text=True, timeout=60)
    report = json.loads(measured.stdout)
    assert report["returncode"] == 1
    assert ("decision_trees/bomb.yml:1:4: E103 YAML anchor '&a' is not allowed: write the value out in full"
            in report["stderr"].splitlines())
    assert "Traceback" not in report["stderr"]
    megabytes = report["maxrss_kb"] / 1024
    print(f"\nalias bomb through `generator check`: {report['cpu_seconds']:.2f} s of CPU including Python's start-up; "
          f"peak memory {megabytes:.0f} MB")
    assert megabytes < 200
    assert report["cpu_seconds"] < 10  # generous: about 1 s


# --- the project -------------------------------------------------------------------------------

def test_project_files_are_found_and_strays_reported(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "decision_trees").mkdir()
    (tmp_path / "policies" / "a.yaml").write_text("id: a\n")
    (tmp_path / "decision_trees" / "b.YML").write_text("id: b\n")
    (tmp_path / "decision_trees" / "c.yml").write_text("id: c\n")
    loaded = load_project(tmp_path)
    assert [s.display for s in loaded.trees] == ["decision_trees/c.yml"]
    assert sorted(str(d) for d in loaded.diagnostics) == [
        "decision_trees/b.YML:1:1: E106 data files must end in .yml to be read (rename it to b.yml)",
        "glossary.yml:1:1: E100 glossary.yml is missing from " + str(tmp_path),
        "policies/a.yaml:1:1: E106 data files must end in .yml to be read (rename it to a.yml)",
        "policies:1:1: E100 no policy files found in policies/",
        "school.yml:1:1: E100 school.yml is missing from " + str(tmp_path),
    ]


def test_every_broken_file_is_reported_not_just_the_first(tmp_path):
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "a.yml").write_text("a: 1\na: 2\n")
    (tmp_path / "policies" / "b.yml").write_bytes(b"")
    codes = sorted((d.path, d.code) for d in load_project(tmp_path).diagnostics)
    assert ("policies/a.yml", "E105") in codes and ("policies/b.yml", "E101") in codes


def test_pages_may_use_tabs_but_must_be_utf8(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"# Page\n\n\tcode block\n")
    assert read_text(page, "page.md") == "# Page\n\n\tcode block\n"
    page.write_bytes(b"caf\xe9\n")
    with pytest.raises(DiagnosticError):
        read_text(page, "page.md")


def test_diagnostics_sort_even_when_only_the_hint_differs():
    a = Diagnostic("x.yml", 1, 1, "E201", "m")
    b = Diagnostic("x.yml", 1, 1, "E201", "m", hint="did you mean 'next'?")
    assert sorted([b, a]) == [a, b]
    assert str(b) == "x.yml:1:1: E201 m (did you mean 'next'?)"


# --- only ordinary files are read (issue 10) ---------------------------------------------------

_E107 = "E107 {kind}, not an ordinary file: data files must be ordinary files inside the project " \
        "(replace it with a copy of the file itself)"


def _project_with_policy_link(tmp_path: Path, target: str) -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "passwd.yml").symlink_to(target)
    return tmp_path


def test_a_symlinked_data_file_is_refused_without_echoing_it(tmp_path):
    # Bug caught: /etc/passwd behind policies/passwd.yml was read and printed whole in the error.
    loaded = load_project(_project_with_policy_link(tmp_path, "/etc/passwd"))
    found = [str(d) for d in loaded.diagnostics if d.code != "E100"]
    assert found == ["policies/passwd.yml:1:1: " + _E107.format(kind="a symbolic link")]
    assert "root:" not in "\n".join(str(d) for d in loaded.diagnostics)
    assert loaded.policies == []


def test_a_symlink_to_a_policy_outside_the_project_is_not_published(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("id: passwd\n")
    project = tmp_path / "project"
    project.mkdir()
    loaded = load_project(_project_with_policy_link(project, str(outside)))
    assert loaded.policies == []
    assert any(d.code == "E107" and d.path == "policies/passwd.yml" for d in loaded.diagnostics)


def test_a_symlink_to_an_endless_device_is_refused_at_once(tmp_path):
    loaded = load_project(_project_with_policy_link(tmp_path, "/dev/zero"))
    assert any(d.code == "E107" for d in loaded.diagnostics)


def test_devices_are_refused_even_when_named_directly():
    # Bug caught: the size came from stat() (0 for /dev/zero), then read_bytes() read until memory ran out.
    with pytest.raises(DiagnosticError) as caught:
        load_yaml(Path("/dev/zero"), "zero.yml")
    assert str(caught.value.diagnostics[0]) == "zero.yml:1:1: " + _E107.format(kind="a device")


def test_a_fifo_named_like_a_data_file_is_refused_not_waited_on(tmp_path):
    # Bug caught: opening a FIFO blocks until a writer comes; `check` hung for ever.
    import os
    (tmp_path / "decision_trees").mkdir()
    os.mkfifo(tmp_path / "decision_trees" / "pipe.yml")
    code = ("import sys; from pathlib import Path; from generator.load.loader import load_project; "
            "print([str(d) for d in load_project(Path(sys.argv[1])).diagnostics if d.code == 'E107'])")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == str(["decision_trees/pipe.yml:1:1: " + _E107.format(kind="a named pipe (FIFO)")])
    # And read directly (a FIFO created after the folder was listed): refused, not waited on.
    with pytest.raises(DiagnosticError) as caught:
        load_yaml(tmp_path / "decision_trees" / "pipe.yml", "pipe.yml")
    assert " E107 a named pipe (FIFO)" in str(caught.value.diagnostics[0])


def test_symlinked_pages_and_page_folders_are_refused(tmp_path):
    (tmp_path / "docs" / "staff").mkdir(parents=True)
    (tmp_path / "docs" / "staff" / "real.md").write_text("# Real\n")
    (tmp_path / "docs" / "staff" / "passwd.md").symlink_to("/etc/passwd")
    (tmp_path / "docs" / "staff" / "more").symlink_to("/etc")
    loaded = load_project(tmp_path)
    assert [page.display for page in loaded.pages] == ["docs/staff/real.md", "(generator)/guide/authoring.md",
                                                         "(generator)/guide/data-format.md",
                                                         "(generator)/guide/safety-rules.md"]
    assert sorted(str(d) for d in loaded.diagnostics if d.code == "E107") == [
        "docs/staff/more:1:1: " + _E107.format(kind="a symbolic link"),
        "docs/staff/passwd.md:1:1: " + _E107.format(kind="a symbolic link"),
    ]


# --- the fast composer (issue 17): the same nodes as the strict composer, or it steps aside ----------

def _shape(node):
    """A node tree as plain data: kind, tag, value, style and both marks of every node."""
    if node is None:
        return None
    marks = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, strict_yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style, marks)
    if isinstance(node, strict_yaml.SequenceNode):
        return ("seq", node.tag, node.flow_style, marks, [_shape(item) for item in node.value])
    return ("map", node.tag, node.flow_style, marks, [(_shape(k), _shape(v)) for k, v in node.value])


class _PyYamlComposerOnLibyaml(strict_yaml._StrictComposer, strict_yaml._CParser, yaml.resolver.BaseResolver):
    """The oracle: PyYAML's own composer (with the strict checks) on libyaml's events, as loading was."""

    def __init__(self, stream):
        strict_yaml._CParser.__init__(self, stream)
        strict_yaml._StrictComposer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


def _strict(text):
    loader = _PyYamlComposerOnLibyaml(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _yaml_files():
    repo = Path(__file__).resolve().parents[2]
    for folder in ("policies", "decision_trees", "tests", "generator", "bench"):
        yield from sorted((repo / folder).rglob("*.yml"))
    yield from sorted(repo.glob("*.yml"))


def test_fast_composer_builds_the_strict_composers_nodes():
    """Every YAML file in the repository (data, fixtures, the broken corpus): the fast composer gives the
    very nodes PyYAML's composer gives on the same libyaml events, or steps aside (_NotSimple / a YAML error) where the strict one
    refuses or reports the file. Planted: giving every scalar the plain style turns this red."""
    compared = 0
    for path in _yaml_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            fast = strict_yaml._compose_fast(text)
        except (strict_yaml._NotSimple, yaml.YAMLError):
            with pytest.raises((strict_yaml._YamlProblem, yaml.YAMLError)):
                _strict(text)
            continue
        assert _shape(fast) == _shape(_strict(text)), path
        compared += 1
    assert compared > 50


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",              # anchor and alias
    "a: !!python/object x\n",        # a tag: composed, refused by _to_python (E103)
    "- " * 60 + "x\n",               # deeper than MAX_DEPTH
    "a: 1\n---\nb: 2\n",             # two documents
    "[" * 60 + "]" * 60 + "\n",
])
def test_fast_composer_leaves_the_strict_cases_to_the_strict_composer(text, tmp_path):
    path = tmp_path / "case.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DiagnosticError) as slow:
        strict_yaml.load_yaml(path, "case.yml")
    codes = {d.code for d in slow.value.diagnostics}
    assert codes & {"E102", "E103"}, codes
