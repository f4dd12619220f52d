"""Building many objects at once without the cyclic garbage collector walking them meanwhile.

Reading a workbook or a 汇总 makes tens of thousands of objects that all stay alive until the
work is done (the draft's tasks, the rows of a view). Python's collector runs every 700 new
objects and walks the young ones each time, and now and then every object of the program: a
tenth of a 汇总 import, half of its views (issue 17). Nothing collectable is made meanwhile but
openpyxl's few reference cycles per workbook, which the first collection after the pause frees.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block (reference counting still frees everything
    else); a block inside another one leaves the pause to the outer block."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
