"""Plans (方案/工作要点) read from .docx, .txt or pasted text into tasks."""
