"""The Textual board."""
