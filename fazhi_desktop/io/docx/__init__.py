"""Word documents written by the program: GB/T 9704 layout and the 年度报告 draft."""
