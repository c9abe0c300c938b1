"""The alerts pages."""
