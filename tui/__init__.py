"""The Textual app, the command line and the glue between feeds and the store.

Failures worth a record (an extractor error on one article, a failed dashboard
worker) are logged to the ``aiwatch`` logger. The ``aiwatch`` command sends them
to a log file, and to stderr with ``--verbose`` (`tui.logs`); imported as a
library, nothing is printed unless the embedding program configures logging.
"""

import logging

logging.getLogger("aiwatch").addHandler(logging.NullHandler())
