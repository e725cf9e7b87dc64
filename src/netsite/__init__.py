"""netsite: the static site of a network of preschool institutions and their partners."""

__version__ = "0.1.0"
