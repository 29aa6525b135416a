"""sitboard: a live situation board for Arabic war news in the terminal."""

__version__ = "0.1.0"
