"""Test data makers: neighbourhoods, people, pledges, levies, grants, books."""
