"""The bundled window program, ``fazhi-desktop(.exe)``: see fazhi-desktop.spec."""

import sys

from fazhi_desktop.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
