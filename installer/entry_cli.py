"""The bundled command line, ``fazhi(.exe)``: see fazhi-desktop.spec."""

import sys

from fazhi_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
