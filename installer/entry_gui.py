"""The bundled window program, ``fazhi-desktop(.exe)``: see fazhi-desktop.spec."""

from fazhi_desktop.ui.app import launch

if __name__ == "__main__":
    launch()
