"""Printing: the same PDF the exporter writes, rasterised page by page onto the system printer.

Printing the exporter's PDF (rather than re-laying the table out with Qt) keeps paper and file
identical. pypdfium2 renders the pages; it is small and ships wheels for Windows.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from fazhi_desktop.models.records import LedgerRecord
from fazhi_desktop.services import exports
from fazhi_desktop.settings import AppSettings


def render_pdf_to_printer(pdf: Path, printer: QPrinter) -> int:
    """Paint every page of ``pdf`` onto ``printer``; returns the number of pages printed."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        return 0
    try:
        dpi = min(printer.resolution(), 300)
        target = printer.pageLayout().paintRectPixels(printer.resolution())
        for number in range(len(document)):
            if number:
                printer.newPage()
            page = document[number]
            bitmap = page.render(scale=dpi / 72).to_pil().convert("RGB")
            data = bitmap.tobytes("raw", "RGB")
            image = QImage(
                data, bitmap.width, bitmap.height, bitmap.width * 3, QImage.Format.Format_RGB888
            )
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(QPoint(0, 0), scaled), image)
            page.close()
        return len(document)
    finally:
        painter.end()
        document.close()


def _printer() -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setFullPage(True)
    return printer


def print_ledger(parent: QWidget, record: LedgerRecord, settings: AppSettings) -> bool:
    """打印: the system print dialog, then paper — two clicks from the window."""
    printer = _printer()
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印台账")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    with tempfile.TemporaryDirectory(prefix="fazhi-print-") as folder:
        pdf = Path(folder) / "台账.pdf"
        exports.export_pdf(record, pdf, settings)
        return render_pdf_to_printer(pdf, printer) > 0


def preview_ledger(parent: QWidget, record: LedgerRecord, settings: AppSettings) -> None:
    """打印预览: the pages as they will print, with a print button."""
    with tempfile.TemporaryDirectory(prefix="fazhi-print-") as folder:
        pdf = Path(folder) / "台账.pdf"
        exports.export_pdf(record, pdf, settings)
        # The dialog keeps a bare pointer to the printer and does not own it: a temporary
        # QPrinter is freed by Python at once and the dialog then paints through freed memory.
        printer = _printer()
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setWindowTitle("打印预览")
        dialog.paintRequested.connect(lambda printer: render_pdf_to_printer(pdf, printer))
        dialog.resize(1100, 800)
        dialog.exec()
