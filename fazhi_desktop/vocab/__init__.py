"""The program's vocabulary, Qt-free and dependency-free: every layer may import it.

Kinds of ledger and report states (:mod:`.kinds`), the columns with their names as offices
write them (:mod:`.columns`), and how dates and periods are written (:mod:`.dates`). A word
that means something to the program is defined here once; other modules import it.
"""
