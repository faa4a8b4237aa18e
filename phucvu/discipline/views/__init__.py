"""Pages of discipline, one module per part (docs/discipline.md); `urls.py` routes them."""
