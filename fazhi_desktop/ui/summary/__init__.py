"""The 汇总 window: ``window.SummaryWindow`` and one widget per tab (period_tab, task_tab,
unit_tab, review_tab, stats_tab with the Qt-painted charts of chart_widget, units_tab)."""
