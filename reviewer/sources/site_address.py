"""Where `reviewer fetch` connects, and how politely it asks: the one place these are set.

Kept apart from the page reader (`ofsted_site`) so that the command line can say them in
its help without loading an HTML parser on every start.
"""

from __future__ import annotations

DEFAULT_SITE = "https://reports.ofsted.gov.uk"
FILES_HOST = "files.ofsted.gov.uk"  # where the site's pages link the PDFs (followed as written)
DEFAULT_PAUSE = 1.0  # seconds between requests
DEFAULT_BACKOFF = 2.0  # seconds before the first retry, doubled each time
DEFAULT_RETRIES = 4
