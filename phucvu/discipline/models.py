"""Models of discipline."""
