"""Community dividend pages."""
