"""What a batch of PDFs loads before its workers start: not the process pool of text
batches (multiprocessing), which only a batch of text letters uses."""

from __future__ import annotations

import subprocess
import sys


def test_the_batch_module_does_not_load_the_process_pool() -> None:
    code = (
        "import sys, reviewer.corpus.batch; "
        "print(sorted(m for m in ('concurrent.futures.process', 'multiprocessing') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
