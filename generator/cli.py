"""Command line: `python -m generator <command>`. The only module that prints or sets exit codes."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.diagnostics import Diagnostic


def _today(value: str | None) -> date:
    value = value or os.environ.get("POLICY_TODAY")
    return date.fromisoformat(value) if value else date.today()


def _print(diagnostics: list[Diagnostic], strict: bool = False) -> int:
    errors = [d for d in diagnostics if d.is_error]
    warnings = [d for d in diagnostics if not d.is_error]
    for diagnostic in errors + warnings:
        print(diagnostic, file=sys.stderr)
    failed = bool(errors) or (strict and bool(warnings))
    if errors or warnings:
        summary = f"{len(errors)} error(s), {len(warnings)} warning(s)"
        print(("Aborted: " if failed else "") + summary, file=sys.stderr)
    return 1 if failed else 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, default=Path("."),
                        help="folder holding school.yml, policies/ and decision_trees/ (default: current folder)")
    parser.add_argument("--today", help="date to check review dates against, YYYY-MM-DD (default: today; "
                                        "or set POLICY_TODAY)")


def cmd_check(args) -> int:
    result = pipeline.check(args.project, _today(args.today))
    code = _print(result.diagnostics, strict=args.strict)
    if code == 0:
        print("All data files are valid.", file=sys.stderr)
    return code


def cmd_build(args) -> int:
    project = args.project
    output = args.output or project / "site"
    # Builds into another output (tests, benchmarks) get their own work folder beside it,
    # so they never disturb the project's build/ that `make serve` uses.
    work = args.work_dir or (project / "build" if args.output is None else output.with_name(output.name + ".build"))
    sites = tuple(args.site) if args.site else None
    result = pipeline.build(project, output, work, _today(args.today), sites)
    code = _print(result.diagnostics)
    if result.ok:
        built = ", ".join(f"{output / name}" for name in (sites or ("staff", "parents")))
        print(f"Built {built}", file=sys.stderr)
        return 0
    print("Nothing was changed in " + str(output), file=sys.stderr)
    return code or 1


def cmd_serve(args) -> int:
    from generator.serve import serve

    return serve(args.project, args.work_dir or args.project / "build", args.site, args.dev_addr, _today(args.today))


def cmd_schema(args) -> int:
    from generator.schema import write_schemas

    changed = write_schemas(args.out or args.project / "schemas", check_only=args.check)
    if args.check and changed:
        print("Out of date: " + ", ".join(changed) + " (run `python -m generator schema`)", file=sys.stderr)
        return 1
    for name in changed:
        print(f"wrote {name}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate every data file and print every problem")
    _common(check)
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=cmd_check)

    build = commands.add_parser("build", help="check, then build both sites into site/staff and site/parents")
    _common(build)
    build.add_argument("--output", type=Path, help="where the built sites go (default: <project>/site)")
    build.add_argument("--work-dir", type=Path, help="where generated Markdown goes (default: <project>/build)")
    build.add_argument("--site", action="append", choices=("staff", "parents"), help="build only this site")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="build and serve one site with live reload on data changes")
    _common(serve)
    serve.add_argument("--site", choices=("staff", "parents"), default="staff")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000")
    serve.add_argument("--work-dir", type=Path)
    serve.set_defaults(run=cmd_serve)

    schema = commands.add_parser("schema", help="write the JSON Schemas editors use (schemas/*.json)")
    _common(schema)
    schema.add_argument("--out", type=Path)
    schema.add_argument("--check", action="store_true", help="only check the schemas are up to date")
    schema.set_defaults(run=cmd_schema)

    args = parser.parse_args(argv)
    return args.run(args)
