"""Inputs besides feeds' bodies: seed documents (`seeds`, `datelines`) and subscription lists (`opml`, `opml_repair`)."""
