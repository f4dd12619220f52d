"""Excel: the 台账 and 汇总 writers, the 台账 reader and their guards."""
