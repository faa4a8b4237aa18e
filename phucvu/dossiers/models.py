"""Models of dossiers."""
