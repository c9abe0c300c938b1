"""Each feature seeds its own demo data in `<feature>/demo.py`; `pledgebank/demo.py` only orders them, starts
the emulator, prints the logins and serves. So the orchestrator reaches into a feature only through that
feature's `demo` module, and a feature's demo story is changed in one place, beside the feature."""

from __future__ import annotations

import grimp

ORCHESTRATOR = "pledgebank.demo"


def feature_modules_reached(graph: grimp.ImportGraph, importer: str, package: str) -> list[str]:
    """The modules inside the package's subpackages (its features) that the importer imports directly."""
    features = {m for m in graph.modules if m.count(".") == 1 and graph.find_children(m)}
    return sorted(
        m
        for m in graph.find_modules_directly_imported_by(importer)
        if m.startswith(package + ".") and ".".join(m.split(".")[:2]) in features
    )


def test_the_demo_reaches_features_only_through_their_demo_modules():
    graph = grimp.build_graph("pledgebank", cache_dir=None)
    reached = feature_modules_reached(graph, ORCHESTRATOR, "pledgebank")
    assert reached, "the demo seeds nothing from the features"
    assert [m for m in reached if not m.endswith(".demo")] == []


def test_the_check_sees_a_feature_service_imported_by_the_demo():
    graph = grimp.ImportGraph()
    for module in ("app", "app.demo", "app.db", "app.pledges", "app.pledges.demo", "app.pledges.services"):
        graph.add_module(module)
    for imported in ("app.db", "app.pledges.demo", "app.pledges.services"):
        graph.add_import(importer="app.demo", imported=imported)
    assert feature_modules_reached(graph, "app.demo", "app") == ["app.pledges.demo", "app.pledges.services"]
