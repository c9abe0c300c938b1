"""Neighbourhood pulse pages."""
