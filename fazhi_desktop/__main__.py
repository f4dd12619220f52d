"""``python -m fazhi_desktop`` opens the desktop window; bootstrap.py starts the program so."""

import sys

from fazhi_desktop.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
