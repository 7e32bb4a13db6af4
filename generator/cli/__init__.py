"""Command line: `python -m generator <command>`. The only module that prints or sets exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# The commands' handlers (each runs its stage and prints what it returned) are in commands.py: this module
# holds the arguments of every command and the last safety net.
from generator.cli.commands import (cmd_build, cmd_bundle, cmd_check, cmd_diff, cmd_import, cmd_init, cmd_new,
                                    cmd_public, cmd_publish, cmd_rollback, cmd_rules, cmd_schema, cmd_schools,
                                    cmd_serve, cmd_edit)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, default=Path("."),
                        help="folder holding school.yml, policies/ and decision_trees/ (default: current folder)")
    parser.add_argument("--today", help="date to check review dates against, YYYY-MM-DD (default: today; "
                                        "or set POLICY_TODAY)")


def _add_publishing_commands(commands) -> None:
    publish = commands.add_parser(
        "publish", help="copy a built site into DIR/releases/<time>-<sha>, verify it, and switch DIR/current to it")
    publish.add_argument("--to", type=Path, metavar="DIR", help="publishing folder on this machine "
                         "(the web server serves DIR/current)")
    publish.add_argument("--rsync", metavar="USER@HOST:/PATH", help="publish to a folder on another machine over SSH")
    publish.add_argument("--ssh-key", type=Path, metavar="FILE", help="private key for --rsync (mode 600)")
    publish.add_argument("--known-hosts", type=Path, metavar="FILE",
                         help="the server's pinned host key(s) for --rsync, in known_hosts format")
    publish.add_argument("--ssh-port", type=int, help="SSH port for --rsync (default 22)")
    publish.add_argument("--from", dest="source", type=Path, default=Path("site/staff"), metavar="DIR",
                         help="the built site to publish (default: site/staff)")
    publish.add_argument("--expect-school", metavar="ID",
                         help="the school this target is for (its id in school.yml); a build of another is refused")
    publish.add_argument("--expect-site", choices=("staff", "parents"),
                         help="the site this target is for; a build of the other site is refused")
    publish.add_argument("--keep", type=int, default=5, metavar="N",
                         help="releases to keep (default 5; the live one and the one before it are always kept)")
    publish.add_argument("--preview", action="store_true",
                         help="publish a preview build (the DSL's contact details are still placeholders) for the "
                              "school to review; never for staff to rely on")
    publish.set_defaults(run=cmd_publish)

    rollback = commands.add_parser("rollback", help="switch DIR/current back to an earlier release")
    rollback.add_argument("--to", type=Path, metavar="DIR", required=True, help="the publishing folder")
    rollback.add_argument("--release", metavar="NAME", help="release to make live (default: the one before the live one)")
    rollback.add_argument("--list", action="store_true", help="only list the releases and which one is live")
    rollback.set_defaults(run=cmd_rollback)

    bundle = commands.add_parser("bundle", help="zip an offline copy of the staff site for a shared drive")
    _common(bundle)
    bundle.add_argument("--out", type=Path, default=Path("dist/staff-offline.zip"),
                        help="the zip file to write (default: dist/staff-offline.zip)")
    bundle.add_argument("--work-dir", type=Path, help="where generated Markdown goes (default: <project>/build)")
    bundle.set_defaults(run=cmd_bundle)


def _add_diff_command(commands) -> None:
    diff = commands.add_parser(
        "diff", help="what changed between two versions of the data, as a report for the governors "
                     "(Markdown, HTML and PDF)")
    _common(diff)
    diff.add_argument("old", metavar="OLD", nargs="?",
                      help="the earlier version: a data folder, or with --git a git revision")
    diff.add_argument("new", metavar="NEW", nargs="?",
                      help="the later version: a data folder, or with --git a git revision "
                           "(with --git, leave it out to compare with the working copy)")
    diff.add_argument("--git", action="store_true",
                      help="OLD and NEW are git revisions (e.g. a tag or commit) of the --project folder")
    diff.add_argument("--out", type=Path, default=Path("build/changes"),
                      help="folder for changes.md, changes.html and changes.pdf (default: build/changes)")
    diff.add_argument("--pack", action="store_true",
                      help="what changed in the guide pack the school uses since it accepted it (pack.lock)")
    diff.add_argument("--accept", action="store_true",
                      help="with --pack: record the pack as it is now as accepted (writes pack.lock)")
    diff.set_defaults(run=cmd_diff)


def _add_rules_command(commands) -> None:
    rules = commands.add_parser("rules", help="print the safeguarding rules reference (codes, reasons, sources, "
                                              "examples) that `check` applies")
    _common(rules)
    rules.add_argument("--write", action="store_true", help="save it as the tool's page generator/guide/safety-rules.md")
    rules.add_argument("--check", action="store_true", help="only check generator/guide/safety-rules.md is up to date")
    rules.set_defaults(run=cmd_rules)


def _add_new_command(commands) -> None:
    init = commands.add_parser("init", help="make a new school's folder from a neutral example that builds as it is")
    init.add_argument("dir", type=Path, help="the new folder (it must not exist yet, or be empty)")
    init.add_argument("--guide-pack", metavar="PACK", help="adopt a pack of statutory guides that comes with the "
                      "tool (e.g. england): writes 'guide_pack: PACK' in school.yml")
    init.set_defaults(run=cmd_init)

    new = commands.add_parser("new", help="start a new policy or decision tree from a commented, valid file")
    _common(new)
    new.add_argument("kind", choices=("policy", "tree"), help="what to start")
    new.add_argument("id", help="its id, e.g. anti-bullying: lower-case words joined by hyphens; "
                                "also the file name and part of the web address")
    new.set_defaults(run=cmd_new)


def _add_import_command(commands) -> None:
    imports = commands.add_parser("import", help="draft policies/<id>.yml from a policy in Word (.docx), PDF, a "
                                                 "saved web page (.html), text or Markdown, with a faithfulness "
                                                 "report")
    _common(imports)
    imports.add_argument("file", type=Path, help="the policy document: .docx, .pdf, .html, .txt or .md")
    imports.add_argument("--id", help="the policy's id (default: from its title, e.g. 'mobile-phones')")
    imports.add_argument("--force", action="store_true", help="replace policies/<id>.yml if it exists")
    imports.set_defaults(run=cmd_import)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate every data file and print every problem")
    _common(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument("--work-dir", type=Path, help="where check keeps each file's results, so that the next check "
                       "reads again only the files that changed (default: <project>/build)")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="check, then build both sites into site/staff and site/parents")
    _common(build)
    build.add_argument("--output", type=Path, help="where the built sites go (default: <project>/site)")
    build.add_argument("--work-dir", type=Path, help="where generated Markdown goes (default: <project>/build)")
    build.add_argument("--site", action="append", choices=("staff", "parents"), help="build only this site")
    which = build.add_mutually_exclusive_group()
    which.add_argument("--school", metavar="ID", help="in a trust (trust.yml in --project): build this school only, "
                                                    "into <output>/<ID>/ (the school at the root: <output>/)")
    which.add_argument("--all", action="store_true", help="in a trust: build every school of trust.yml, each on its own")
    build.add_argument("--force", action="store_true",
                       help="rebuild every site even if its output was built from the same inputs")
    build.set_defaults(run=cmd_build)

    schools = commands.add_parser("schools", help="list the schools of trust.yml as JSON (id, folder, output)")
    _common(schools)
    schools.set_defaults(run=cmd_schools)

    serve = commands.add_parser("serve", help="build and serve one site with live reload on data changes")
    _common(serve)
    serve.add_argument("--site", choices=("staff", "parents"), default="staff")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")
    serve.add_argument("--work-dir", type=Path)
    serve.set_defaults(run=cmd_serve)

    edit = commands.add_parser("edit", help="edit the school's policies, guides, pages, contacts and glossary in a "
                                            "browser (a local editor on 127.0.0.1; check runs before every save)")
    _common(edit)
    edit.add_argument("--port", type=int, default=0, help="the port to listen on (default: any free port)")
    edit.set_defaults(run=cmd_edit)

    schema = commands.add_parser("schema", help="write the JSON Schemas editors use (schemas/*.json)")
    _common(schema)
    schema.add_argument("--out", type=Path)
    schema.add_argument("--check", action="store_true",
                        help="only check the schemas and the data format reference are up to date")
    schema.add_argument("--reference", action="store_true",
                        help="also write the tool's data format reference, generator/guide/data-format.md")
    schema.set_defaults(run=cmd_schema)

    public = commands.add_parser("public", help="compare what the parents' site publishes with the reviewed list "
                                               "(published-to-parents.yml); --update records it after review")
    _common(public)
    public.add_argument("--update", action="store_true", help="write the list from the current data, after review")
    public.set_defaults(run=cmd_public)

    _add_publishing_commands(commands)

    _add_new_command(commands)

    _add_import_command(commands)

    _add_diff_command(commands)

    _add_rules_command(commands)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # noqa: BLE001 - last safety net; bad input is reported by the stages
        if os.environ.get("POLICY_DEBUG"):
            raise
        print(f"internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("This is a fault in the generator, not in your files: please report it with the command you ran "
              "(set POLICY_DEBUG=1 to see the details).", file=sys.stderr)
        return 1
