"""The safety rules' reference page for the authors' guide, rendered from the registry.

`python -m generator rules` prints it; `--write` saves it as generator/guide/safety-rules.md and `--check`
fails when that page is out of date (as `cog --check` keeps sqlite-utils' CLI reference in step).
"""

from __future__ import annotations

from pathlib import Path

from generator.checks.rules.registry import RULES, Rule

PAGE = Path(__file__).resolve().parent.parent.parent / "guide" / "safety-rules.md"
"""The rules' reference ships with the tool, like the authors' guide: every staff site shows it."""


def render_reference(rules: list[Rule] = RULES) -> str:
    lines = [
        "---",
        "title: Safety rules for guides",
        "description: The safeguarding rules every guide and page is checked against, with an example that fails "
        "and one that passes.",
        "---",
        "",
        "# Safety rules for guides",
        "",
        "`python -m generator check` (and so `make check`, `build` and `serve`) reads every guide, shared step and",
        "page the way a worried reader would, and refuses wording that could put a child at risk. Each problem is",
        "shown as `file:line:column: CODE message`, then how to fix it, why the rule exists and the guidance it",
        "comes from. The rules apply to every school's data alike.",
        "",
        "The checks read sentences, so a rule can sometimes flag safe wording. Reword the sentence as the message",
        "suggests, for example as a prohibition (\"Never …\") or in the step's `never` list. Where a faithful",
        "procedure does not fit a rule, the step may waive it on the record, with its reason and who agreed it:",
        "",
        "{% raw %}",
        "```yaml",
        "    waive:",
        "      S401:",
        "        reason: Whistleblowing goes around the school on purpose (KCSIE 2025 Part one).",
        "        agreed_by: DSL and head teacher, 1 September 2026",
        "```",
        "{% endraw %}",
        "",
        "`check` counts the waivers and the staff site's editors' page lists them. The rules marked \"never\" in",
        "the table below cannot be waived.",
        "",
        "This page is generated from the rules themselves: after changing a rule, run",
        "`python -m generator rules --write` to update it.",
        "",
        "| Code | Rule | Stops | Waivable |",
        "| --- | --- | --- | --- |",
    ]
    for rule in rules:
        stops = "`check` warns; `publish` refuses" if rule.severity.value == "warning" else "`check` and `build`"
        waivable = "yes, with a reason" if rule.waivable else "never"
        lines.append(f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | {stops} | {waivable} |")
    for rule in rules:
        lines += [
            "",
            f"## {rule.code} {rule.name}",
            "",
            rule.summary,
            "",
            f"**Why:** {_sentence(rule.why)}",
            "",
            f"**Source:** {_sentence(rule.source)}",
            "",
            "**Waivable:** " + ("yes, on a step, with its reason and who agreed it." if rule.waivable else
                                "never: a `waive:` of this rule is an error."),
            "",
            "Fails:",
            "",
            "{% raw %}",
            f"```{rule.example_language}",
            rule.failing.rstrip(),
            "```",
            "{% endraw %}",
            "",
            "Passes:",
            "",
            "{% raw %}",
            f"```{rule.example_language}",
            rule.passing.rstrip(),
            "```",
            "{% endraw %}",
        ]
        for what, example in rule.false_alarms:
            lines += ["", f"Also passes ({what}):", "", "{% raw %}", f"```{rule.example_language}", example.rstrip(),
                      "```", "{% endraw %}"]
    return "\n".join(lines) + "\n"


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", ")")) else text + "."
