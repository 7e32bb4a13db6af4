"""scripts/restructure.py's rewriting of references to moved modules (issue 24), on hand-written lines.

The bug each test exists to catch:
- an import rewritten twice ('from generator import build' -> 'from generator.build import mkdocs_build', then
  its 'generator.build' read again as the old module: 'generator.build.mkdocs_build import mkdocs_build');
- a local name lost when a module is renamed in its stage folder (the code goes on using 'build_module');
- a name that only starts like a module ('generator.load_project', 'generator.cli') or a text the tool's files
  must find as it is (the guides' steps marker) changed;
- a moved module's path to the package's own files one folder short.
The whole move is checked on a clone: the script, then tests and scripts/compare_builds.py (see its docstring).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("restructure", REPO / "scripts" / "restructure.py")
restructure = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(restructure)


def test_from_generator_imports_are_split_by_stage_keeping_local_names():
    text = ("from generator import build as build_module, cli\n"
            "def f():\n"
            "    from generator import pipeline, serve  # noqa: E402\n"
            "    from generator import render\n")
    assert restructure.rewrite(text, python=True) == (
        "from generator import cli\n"
        "from generator.build import mkdocs_build as build_module\n"
        "def f():\n"
        "    from generator import pipeline  # noqa: E402\n"
        "    from generator.authoring import serve  # noqa: E402\n"
        "    from generator.render import renderer as render\n")


def test_dotted_names_and_paths_are_rewritten_once():
    text = ('from generator.build import finish_site\n'
            'from generator.rules.walk import Text\n'
            'patch("generator.render.render_project")\n'
            'HOOK = REPO / "generator" / "serve.py"\n'
            '# see generator/guide_steps.py and generator/importer/\n')
    assert restructure.rewrite(text, python=True) == (
        'from generator.build.mkdocs_build import finish_site\n'
        'from generator.checks.rules.walk import Text\n'
        'patch("generator.render.renderer.render_project")\n'
        'HOOK = REPO / "generator" / "authoring" / "serve.py"\n'
        '# see generator/render/guide_steps.py and generator/authoring/importer/\n')


def test_names_that_only_start_like_a_module_and_protected_text_stay():
    text = ('from generator.load_project import x\nfrom generator.cli import main\nimport generator.__main__\n'
            'MARKER = "<!-- the guide\'s steps (generator/guide_steps.py) -->"\n')
    assert restructure.rewrite(text, python=True) == text


def test_a_moved_module_reaches_the_package_files_one_folder_up():
    text = ('TEMPLATES = Path(__file__).parent / "templates"\n'
            'PAGE = Path(__file__).resolve().parent.parent / "guide"\n')
    assert restructure.rewrite(text, python=True, depth=1) == (
        'TEMPLATES = Path(__file__).parent.parent / "templates"\n'
        'PAGE = Path(__file__).resolve().parent.parent.parent / "guide"\n')
    assert restructure.rewrite(text, python=True, depth=0) == text


def test_the_build_code_list_is_named_from_the_package_root():
    text = ('_BUILD_CODE = [Path(__file__).with_name(name) for name in\n'
            '               ("build.py", "gate.py", "urls.py")]\n')
    assert restructure.rewrite_build_code(text) == (
        '_BUILD_CODE = [Path(__file__).resolve().parent.parent / name for name in (\n'
        '                   "build/mkdocs_build.py",\n'
        '                   "build/gate.py",\n'
        '                   "load/urls.py",\n'
        '               )]\n')
