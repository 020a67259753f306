"""The app's look: calm colours, clear focus, comfortable row heights (Qt style sheet)."""

STYLE = """
QMainWindow, QDialog { background: #f6f7f9; }
QListWidget#nav { background: #1f2a37; color: #e5e7eb; border: none; font-size: 11pt; padding-top: 8px; }
QListWidget#nav::item { padding: 10px 14px; }
QListWidget#nav::item:selected { background: #b91c1c; color: white; }
QListWidget#nav::item:hover:!selected { background: #374151; }
QPushButton { padding: 5px 12px; border: 1px solid #c8ccd2; border-radius: 4px; background: white; }
QPushButton:hover { background: #f0f2f5; }
QPushButton:focus { border: 1px solid #2563eb; }
QPushButton#primary { background: #b91c1c; color: white; border: 1px solid #b91c1c; }
QPushButton#primary:hover { background: #991b1b; }
QPushButton:disabled { color: #9ca3af; }
QLineEdit, QPlainTextEdit, QComboBox, QSpinBox { padding: 4px; border: 1px solid #c8ccd2; border-radius: 4px; background: white; }
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus { border: 1px solid #2563eb; }
QTableView { background: white; alternate-background-color: #f9fafb; gridline-color: #e5e7eb; selection-background-color: #dbeafe; selection-color: #111827; }
QHeaderView::section { background: #eef0f3; padding: 5px; border: none; border-right: 1px solid #dde1e6; font-weight: 600; }
QGroupBox { border: 1px solid #dde1e6; border-radius: 6px; margin-top: 14px; background: white; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; font-weight: 600; }
QStatusBar { background: #eef0f3; }
QListWidget { background: white; border: 1px solid #dde1e6; }
QTextBrowser { background: white; border: 1px solid #dde1e6; }
"""
