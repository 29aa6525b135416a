"""Modal screens: pickers, search, feed status and help."""
