"""The window's commands, one module per feature area, declared as ``ActionSpec`` data.

file (导入/导出/打印/备份), tasks (编辑), plan (方案), submission (报送: sending the period's 台账),
annual_report (年度报告初稿), settings (台账/程序设置), summary (汇总: collecting the units'
returns), view (查看/帮助). ``menus.MENU_BAR`` orders them; each handler sees the window only as
``window_api.WindowApi``. A new command goes into its area's module and into ``MENU_BAR``.
"""
