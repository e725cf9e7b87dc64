"""`python -m netsite` runs the command line."""

from netsite.cli import main

main()
