"""PDF: the 台账 and 汇总 writers, page layout, fonts and CJK line breaking."""
