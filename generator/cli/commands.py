"""What each command does: runs the stage it belongs to, prints what it returned, gives the exit code. With the
argument parser (generator/cli/__init__.py), the only package that prints or sets exit codes."""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from generator.load.diagnostics import Diagnostic, Severity

# `pipeline` (the models, validation, rendering) is imported in each command that needs it, not here:
# `build` first checks whether anything changed, which needs none of it (issue 17: a no-change build in
# about a second, most of which was importing the models).


def _today(value: str | None) -> date:
    value = value or os.environ.get("POLICY_TODAY")
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"--today (or POLICY_TODAY): '{value}' is not a date: write it as YYYY-MM-DD")


def _print(diagnostics: list[Diagnostic], strict: bool = False) -> int:
    errors = [d for d in diagnostics if d.is_error]
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    notes = [d for d in diagnostics if d.severity is Severity.INFO]  # worth knowing; never fail, even --strict
    for diagnostic in errors + warnings + notes:
        print(diagnostic, file=sys.stderr)
    failed = bool(errors) or (strict and bool(warnings))
    if errors or warnings or notes:
        summary = f"{len(errors)} error(s), {len(warnings)} warning(s)" + (f", {len(notes)} note(s)" if notes else "")
        print(("Aborted: " if failed else "") + summary, file=sys.stderr)
    return 1 if failed else 0


CHECK_CACHE_DIR = "check-cache"
"""In the work folder: what `check` keeps of each file (generator/load/file_cache.py)."""


def cmd_check(args) -> int:
    from generator import pipeline

    from generator.load.file_cache import ResultCache
    from generator.render.guide_cache import GuideCache
    from generator.render.guide_store import GuideStore

    # Each file's parse and its own check are kept in the work folder and read back while the file and the tool
    # are unchanged; the checks across files run every time (issue 30).
    work_dir = args.work_dir or args.project / "build"
    cache = ResultCache(work_dir / CHECK_CACHE_DIR)
    # Rendering is part of checking: the faithfulness check compares the pages with the approved document. Each
    # guide's output is kept in the work folder under the key `build` keeps it by (the same render), so a check
    # after one guide's edit renders that guide alone (issue 30: 95 % of the command's render was the guides').
    guides = GuideCache(GuideStore(work_dir / pipeline.GUIDE_CACHE_DIR))
    result = pipeline.render(args.project, _today(args.today), cache=cache, guide_cache=guides)
    code = _print(result.diagnostics, strict=args.strict)
    waivers = result.project.waivers if result.project is not None else []
    if waivers:
        print(f"{len(waivers)} safety rule waiver(s) recorded, each with its reason (listed on the staff site's "
              "editors' page)", file=sys.stderr)
    if code == 0:
        print("All data files are valid.", file=sys.stderr)
    return code


def cmd_build(args) -> int:
    if args.school or args.all:
        return _build_trust(args)
    from generator.build.site_manifest import as_built
    from generator.checks.freshness import raw_inputs, recorded_preview, unchanged

    project = args.project
    output = args.output or project / "site"
    sites = tuple(args.site) if args.site else None
    names = tuple(name for name in ("staff", "parents") if sites is None or name in sites)
    today = _today(args.today)
    raw = raw_inputs(project, today, names)
    if not args.force and unchanged(output, raw) and all(as_built(output / name) for name in names):
        # Every site was built from exactly these files, tool and date, and still holds what its build made:
        # nothing is loaded or rebuilt.
        for name in names:
            print(f"Up to date (its inputs have not changed): {output / name}", file=sys.stderr)
        if recorded_preview(output, names):
            print(_PREVIEW_NOTE, file=sys.stderr)
        return 0
    from generator import pipeline

    if args.work_dir or args.output is None:
        result = pipeline.build(project, output, args.work_dir or project / "build", today, sites,
                                force=args.force, raw=raw)
    else:
        # A build into another output (tests, benchmarks, a trust's schools) gets a work folder of its own
        # that is removed afterwards, so it never disturbs the project's build/ that `serve` uses nor
        # leaves anything beside the output.
        output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{output.name}-work-", dir=output.parent) as work:
            result = pipeline.build(project, output, Path(work), today, sites, force=args.force, raw=raw)
    code = _print(result.diagnostics)
    if result.ok:
        for name in names:
            state = "Built" if name in result.built else "Up to date (its inputs have not changed):"
            print(f"{state} {output / name}", file=sys.stderr)
        if result.preview_only:
            print(_PREVIEW_NOTE, file=sys.stderr)
        return 0
    print("Nothing was changed in " + str(output), file=sys.stderr)
    return code or 1


_PREVIEW_NOTE = ("This is a preview build: `publish` refuses it until the DSL contacts are filled in and the "
                 "starter's example content is confirmed (or publish it for review with --preview).")


def _build_trust(args) -> int:
    """`build --school ID` / `--all`: each school of trust.yml built on its own, one after another."""
    import time

    from generator import pipeline
    from generator.load.diagnostics import DiagnosticError
    from generator.load.trust import TrustError, trust_schools

    try:
        schools = trust_schools(args.project, None if args.all else args.school)
    except DiagnosticError as error:
        return _print(error.diagnostics)
    except TrustError as error:
        print(error, file=sys.stderr)
        return 2
    output_root = args.output or args.project / "site"
    failed = []
    for school in schools:
        started = time.perf_counter()
        output = output_root if school.at_root else output_root / school.id
        with tempfile.TemporaryDirectory(prefix=f".{school.id}-work-", dir=_parent(output)) as work:
            result = pipeline.build(school.path, output, Path(work), _today(args.today), force=args.force)
        _print([_from_trust_root(diagnostic, school) for diagnostic in result.diagnostics])
        seconds = time.perf_counter() - started
        if result.ok:
            print(f"Built {school.id}: {output / 'staff'}, {output / 'parents'} ({seconds:.1f} s)", file=sys.stderr)
        else:
            failed.append(school.id)
            print(f"{school.id}: nothing was changed in {output}", file=sys.stderr)
    if failed:
        print(f"Failed: {', '.join(failed)} ({len(failed)} of {len(schools)} schools)", file=sys.stderr)
        return 1
    return 0


def _from_trust_root(diagnostic, school):
    """A school's problem located from the trust's root, where `build --all` runs: 'schools/elm/policies/x.yml'."""
    if school.at_root or os.path.isabs(diagnostic.path):
        return diagnostic
    return dataclasses.replace(diagnostic, path=os.path.normpath(os.path.join(school.folder, diagnostic.path)))


def _parent(output: Path) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    return output.parent


def cmd_schools(args) -> int:
    """The trust's schools, one JSON object a line or as one list (--json, for a CI matrix)."""
    import json

    from generator.load.diagnostics import DiagnosticError
    from generator.load.trust import TrustError, trust_schools

    try:
        schools = trust_schools(args.project, None)
    except DiagnosticError as error:
        return _print(error.diagnostics)
    except TrustError as error:
        print(error, file=sys.stderr)
        return 2
    listed = [{"id": s.id, "folder": s.folder, "output": "site" if s.at_root else f"site/{s.id}"} for s in schools]
    print(json.dumps(listed))
    return 0


def cmd_public(args) -> int:
    from generator import pipeline

    result, differences, changes = pipeline.review_public(args.project, _today(args.today), args.update)
    if not result.ok:
        return _print(result.diagnostics)
    if args.update:
        # What was recorded, not the errors that asked for it (they would read as if the update had failed).
        where = args.project / "published-to-parents.yml"
        if changes:
            print(f"Recorded what the parents' site publishes in {where}; changes since the last review:",
                  *(f"  {line}" for line in changes), sep="\n", file=sys.stderr)
        else:
            print(f"Recorded what the parents' site publishes in {where}: no change since the last review.",
                  file=sys.stderr)
        print("Commit it with a note of who reviewed it.", file=sys.stderr)
        return 0
    for difference in differences:
        print(difference, file=sys.stderr)
    if differences:
        print(f"{len(differences)} difference(s) from the reviewed list. Review them, then run "
              "'python -m generator public --update'.", file=sys.stderr)
        return 1
    print("The parents' site publishes exactly the reviewed list.", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    from generator.authoring.serve import serve

    return serve(args.project, args.work_dir or args.project / "build", args.site, args.dev_addr, _today(args.today))


def cmd_schema(args) -> int:
    from generator.authoring.format_reference import PAGE, render_format_reference
    from generator.authoring.schema import write_schemas

    changed = write_schemas(args.out or args.project / "schemas", check_only=args.check)
    page_is_current = PAGE.is_file() and PAGE.read_text(encoding="utf-8") == render_format_reference()
    if args.check:
        if changed:
            print("Out of date: " + ", ".join(changed) + " (run `python -m generator schema`)", file=sys.stderr)
        if not page_is_current:
            print(f"Out of date: {PAGE} (run `python -m generator schema --reference`)", file=sys.stderr)
        return 1 if changed or not page_is_current else 0
    for name in changed:
        print(f"wrote {name}", file=sys.stderr)
    if args.reference and not page_is_current:
        PAGE.write_text(render_format_reference(), encoding="utf-8")
        print(f"wrote {PAGE}", file=sys.stderr)
    return 0


def cmd_publish(args) -> int:
    from generator.publish import publisher as publish

    if args.rsync and args.to:
        print("publish takes --to DIR or --rsync user@host:/path, not both", file=sys.stderr)
        return 2
    if not (args.expect_school and args.expect_site):
        print("publish needs --expect-school ID and --expect-site staff|parents: the school and site this "
              "target is for (anything else is refused)", file=sys.stderr)
        return 2
    expect = publish.Expectation(args.expect_school, args.expect_site)
    try:
        if args.rsync:
            if not (args.ssh_key and args.known_hosts):
                print("publish --rsync needs --ssh-key FILE and --known-hosts FILE", file=sys.stderr)
                return 2
            remote = publish.Remote.parse(args.rsync, args.ssh_key, args.known_hosts, args.ssh_port)
            outcome = publish.publish_rsync(args.source, remote, expect, keep=args.keep, allow_preview=args.preview)
        elif args.to:
            outcome = publish.publish(args.source, args.to, expect, keep=args.keep, allow_preview=args.preview)
        else:
            print("publish needs --to DIR or --rsync user@host:/path", file=sys.stderr)
            return 2
    except publish.PublishError as error:
        print(error, file=sys.stderr)
        print("Nothing live was changed.", file=sys.stderr)
        return 1
    _print_live(outcome, "Published")
    return 0


def cmd_rollback(args) -> int:
    from generator.publish import publisher as publish

    try:
        if args.list:
            for release, live in publish.describe_releases(args.to):
                print(("* " if live else "  ") + release.describe() + ("   <- live" if live else ""))
            return 0
        outcome = publish.rollback(args.to, args.release)
    except publish.PublishError as error:
        print(error, file=sys.stderr)
        print("Nothing live was changed.", file=sys.stderr)
        return 1
    _print_live(outcome, "Rolled back")
    return 0


def _print_live(outcome, verb: str) -> None:
    version = outcome.live.version
    print(f"{verb}: {outcome.where}/current -> releases/{outcome.live.name}")
    dirty = " (built with uncommitted changes)" if version.get("git_dirty") else ""
    print(f"Live now: {version.get('site', '?')} site of {version.get('school_id', '?')}, "
          f"git {version.get('git_sha', 'unknown')}{dirty}, built {version.get('built_at', 'unknown')}"
          + (f" (was {outcome.replaced})" if outcome.replaced else " (first release)"))
    if outcome.pruned:
        print("Removed old releases: " + ", ".join(outcome.pruned))
    if version.get("preview_only"):  # published with --preview (or rolled back to one): say so
        print("This release is a preview for review only (its version.json lists why): do not announce it")


def cmd_bundle(args) -> int:
    from generator.publish.bundle import bundle

    result = bundle(args.project, args.out, args.work_dir or args.project / "build", _today(args.today))
    code = _print(result.diagnostics)
    if result.ok:
        print(f"Wrote {args.out}: unzip it on the shared drive and open index.html", file=sys.stderr)
        return 0
    print(f"Nothing was changed in {args.out}", file=sys.stderr)
    return code or 1


def _diff_pack(args) -> int:
    from generator.authoring.pack_diff import PackDiffError, pack_report

    try:
        report = pack_report(args.project, accept=args.accept)
    except PackDiffError as error:
        print(f"diff --pack: {error}", file=sys.stderr)
        return 1
    print("\n".join(report.lines))
    return 0


def cmd_diff(args) -> int:
    import tempfile

    if args.pack:
        return _diff_pack(args)
    if not args.old:
        print("diff needs two folders (OLD NEW), --git REV1 [REV2], or --pack", file=sys.stderr)
        return 2

    from generator import pipeline
    from generator.authoring.diff import RevisionError, checkout_revision

    today = _today(args.today)
    with tempfile.TemporaryDirectory(prefix="policy-diff-") as scratch:
        if args.git:
            try:
                old = checkout_revision(args.project, args.old, Path(scratch) / "old")
                new = (checkout_revision(args.project, args.new, Path(scratch) / "new") if args.new
                       else args.project)
            except RevisionError as error:
                print(error, file=sys.stderr)
                return 1
            names = (args.old, args.new or "working copy")
        else:
            if not args.new:
                print("diff needs two folders (OLD NEW), or --git REV1 [REV2]", file=sys.stderr)
                return 2
            old, new = Path(args.old), Path(args.new)
            names = (args.old, args.new)
        result = pipeline.diff(old, new, args.out, today, *names)
    code = _print(result.diagnostics)
    if result.changes is None:
        print("No report was written.", file=sys.stderr)
        return code or 1
    changes = result.changes
    print(f"{len(changes.newly_public)} clause(s) newly visible to parents, {len(changes.policies)} policy(ies), "
          f"{len(changes.trees)} decision tree(s) and {len(changes.contacts)} contact(s) changed")
    for path in result.written:
        print(f"wrote {path}")
    return 0


def cmd_new(args) -> int:
    from generator.authoring.scaffold import ScaffoldError, new_file

    try:
        path = new_file(args.project, args.kind, args.id, _today(args.today))
    except ScaffoldError as error:
        print(f"Nothing was written: {error}", file=sys.stderr)
        return 1
    shown = path.relative_to(args.project) if path.is_relative_to(args.project) else path
    print(f"Wrote {shown}: edit it, then run `python -m generator check`", file=sys.stderr)
    return 0


def cmd_rules(args) -> int:
    from generator.checks.rules.reference import PAGE, render_reference

    text = render_reference()
    page = PAGE
    if args.check:
        current = page.read_text(encoding="utf-8") if page.is_file() else None
        if current != text:
            print(f"Out of date: {PAGE} (run `python -m generator rules --write`)", file=sys.stderr)
            return 1
        return 0
    if args.write:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
        print(f"wrote {PAGE}", file=sys.stderr)
        return 0
    print(text, end="")
    return 0


def cmd_init(args) -> int:
    from generator.authoring.init import InitError, init_school, offered_packs

    try:
        files = init_school(args.dir, args.guide_pack)
    except InitError as error:
        print(f"Nothing was written: {error}", file=sys.stderr)
        return 1
    print(f"Made a new school in {args.dir} ({len(files)} files), from the example that comes with the tool.\n"
          f"Next: replace the values in {args.dir / 'school.yml'} and the example policy"
          f"{'' if args.guide_pack else ' and guide'} with your own "
          "(then delete each file's 'starter: true' line), "
          f"then run `python -m generator check --project {args.dir}` and "
          f"`python -m generator serve --project {args.dir}`.", file=sys.stderr)
    if args.guide_pack:
        from generator import pipeline

        # The starter's reviewed list of what the parents' site publishes gains the pack's guides for parents, as
        # the starter's own are on it: the new school checks and builds at once, and reviews both before publishing.
        result, _, changes = pipeline.review_public(args.dir, date.today(), update=True)
        print(f"The school adopts the '{args.guide_pack}' pack of statutory guides (guide_pack: in school.yml)"
              + ("; published-to-parents.yml now lists its guides for parents:" if changes else "."),
              *(f"  {line}" for line in changes), sep="\n", file=sys.stderr)
        if not result.ok:
            return _print(result.diagnostics)
    for offer in [] if args.guide_pack else offered_packs():
        print(f"A pack of statutory guides comes with the tool: {offer.id} ({offer.title}, version {offer.version}, "
              f"{offer.kcsie}). Adopt it with 'guide_pack: {offer.id}' in school.yml (or `init --guide-pack "
              f"{offer.id}`).", file=sys.stderr)
    return 0


def cmd_import(args) -> int:
    from generator.authoring.importer import ImportFailure, import_policy

    try:
        result = import_policy(args.file, args.project, _today(args.today), args.id, args.force)
    except ImportFailure as error:
        print(f"Nothing was written: {error}", file=sys.stderr)
        return 1
    shown = result.path.relative_to(args.project) if result.path.is_relative_to(args.project) else result.path
    print(f"Wrote {shown}: {result.sections} sections, {result.clauses} clauses (a draft: read the notes at its top)",
          file=sys.stderr)
    for line in result.report.lines():
        print(line, file=sys.stderr)
    for reason, sentences in result.report.elsewhere.items():
        print(f"  Not in the clauses, {reason}:", file=sys.stderr)
        for sentence in sentences:
            print(f"    - {sentence}", file=sys.stderr)
    if result.draft.stand_ins:
        print("Placeholders to confirm: " + ", ".join(result.draft.stand_ins), file=sys.stderr)
    for note in result.notes:
        print(f"Note: {note}", file=sys.stderr)
    print("Every clause is for 'staff' until you decide its audiences; then run `python -m generator check`.",
          file=sys.stderr)
    return 0


def cmd_edit(args) -> int:
    from generator.authoring.editor.server import EditorServer

    if not (args.project / "school.yml").is_file():
        print(f"error: {args.project} has no school.yml: give the school's folder with --project", file=sys.stderr)
        return 2
    server = EditorServer(args.project, _today(args.today), port=args.port)
    print("The editor is at (open it in your browser; the address holds this session's key):", file=sys.stderr)
    print(f"    {server.url}", file=sys.stderr)
    print("Press Ctrl+C here to stop it.", file=sys.stderr)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0
