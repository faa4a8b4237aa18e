"""Models of demo."""
