"""法治台账 (fazhi-desktop): an offline desktop ledger for 法治政府建设 work."""

__version__ = "0.1.0"
APP_NAME = "fazhi-desktop"
APP_TITLE = "法治台账"
