"""The failed-jobs page."""
