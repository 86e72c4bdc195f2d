"""`python -m helpers ...` runs the command-line interface."""

from helpers.cli import main

# Guarded: a worker process started by spawn (workbook conversion) imports this module again
# under another name, and must not run the command a second time.
if __name__ == "__main__":
    raise SystemExit(main())
