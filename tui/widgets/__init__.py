"""The board's panes and the Arabic-aware text widget."""
