"""User interface: the consolidation dock and its map tool."""
