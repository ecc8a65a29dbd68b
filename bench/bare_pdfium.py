"""The floor for `reviewer segment --out-dir` over PDFs: the bare PDFium text extraction of
the same files, spread over the same number of worker processes, and nothing else.

    python bench/bare_pdfium.py --jobs 2 FILE.pdf ...

Prints the number of characters extracted (so the work cannot be skipped).
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor


def characters(path: str) -> int:
    """Every page's text of one PDF, by PDFium; its length."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(path)
    total = 0
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            total += len(textpage.get_text_bounded())
            textpage.close()
            page.close()
    finally:
        doc.close()
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    # The biggest first, as `segment --out-dir` orders them, so neither waits on a straggler.
    files = sorted(args.files, key=lambda p: os.stat(p).st_size, reverse=True)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        print(sum(pool.map(characters, files)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
