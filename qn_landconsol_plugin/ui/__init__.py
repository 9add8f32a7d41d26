"""User interface: the consolidation dock, styles and layout templates."""
