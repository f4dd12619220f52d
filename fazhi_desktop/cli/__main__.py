"""``python -m fazhi_desktop.cli`` runs the ``fazhi`` command without its console script."""

import sys

from fazhi_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
