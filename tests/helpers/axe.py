"""Run the vendored axe-core inside a Playwright page and report WCAG 2.2 AA violations readably."""

from __future__ import annotations

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def describe_violations(violations: list[dict]) -> str:
    """One readable block per axe violation: rule, impact, help text and the offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}: {summary}")
    return "\n".join(lines)


def assert_accessible(page, label: str) -> None:
    """Run axe-core on the page as it stands and fail listing every WCAG 2.2 AA violation."""
    # After a click that navigates, wait for the new page (and its stylesheet) before judging it.
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.axe") == "object", f"axe-core is not loaded on {label}"
    script = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
    result = page.evaluate(script, AXE_TAGS)
    violations = result["violations"]
    assert not violations, f"axe found {len(violations)} problem(s) on {label} ({page.url}):\n" + (
        describe_violations(violations)
    )
