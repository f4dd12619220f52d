"""``python -m fazhi_desktop`` opens the desktop window; bootstrap.py starts the program so."""

from fazhi_desktop.ui.app import launch

if __name__ == "__main__":
    launch()
