"""No module of the package imports, directly or through others, a module that imports it back.

Read from the import graph grimp builds (module-level and function-level imports alike), so a circle
introduced in any file, old or new, fails here and in `.ci/run` (the suite runs there)."""

from __future__ import annotations

import grimp


def import_circles(graph: grimp.ImportGraph, package: str) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan's algorithm, iterative)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    inside = set(modules)
    edges = {m: sorted(set(graph.find_modules_directly_imported_by(m)) & inside) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            if child < len(edges[node]):
                work.append((node, child + 1))
                target = edges[node][child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return circles


def test_the_package_has_no_import_circles():
    graph = grimp.build_graph("pledgebank", cache_dir=None)
    assert import_circles(graph, "pledgebank") == []


def test_the_check_finds_a_circle():
    graph = grimp.ImportGraph()
    for module in ("demo", "demo.a", "demo.b", "demo.c", "demo.d"):
        graph.add_module(module)
    graph.add_import(importer="demo.a", imported="demo.b")
    graph.add_import(importer="demo.b", imported="demo.c")
    graph.add_import(importer="demo.c", imported="demo.a")
    graph.add_import(importer="demo.d", imported="demo.a")
    assert import_circles(graph, "demo") == [["demo.a", "demo.b", "demo.c"]]
