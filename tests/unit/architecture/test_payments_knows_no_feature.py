"""Payments imports nothing of the features that pay through it, directly or through other modules.

Pledges and levies register their webhook handlers with payments when the app is assembled; this reads
grimp's graph (function-level imports included), as the import-linter contract in pyproject.toml does."""

from __future__ import annotations

import grimp
import pytest

FEATURES = ("pledgebank.pledges", "pledgebank.levies", "pledgebank.grants")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("pledgebank", cache_dir=None)


def chains_between(graph: grimp.ImportGraph, importer: str, imported: str) -> list[tuple[str, ...]]:
    """Every shortest chain of imports from a module of `importer` to one of `imported`."""
    return sorted(graph.find_shortest_chains(importer=importer, imported=imported, as_packages=True))


@pytest.mark.parametrize("feature", FEATURES)
def test_payments_imports_nothing_of_the_feature(graph, feature):
    assert chains_between(graph, "pledgebank.payments", feature) == []


def test_the_check_sees_a_chain_where_there_is_one(graph):
    # The card pages of pledges do reach payments: the check finds chains that exist.
    assert chains_between(graph, "pledgebank.pledges", "pledgebank.payments") != []
