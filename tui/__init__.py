"""The Textual app, the command line and the glue between feeds and the store.

Failures worth a record (an extractor error on one article) are logged to the
``aiwatch`` logger; the commands and the dashboard say them to the user
themselves, so nothing is printed unless an embedding program configures logging.
"""

import logging

logging.getLogger("aiwatch").addHandler(logging.NullHandler())
