"""The revisions, oldest first: 0001 the tables, 0002 the items' spans through time, 0003 the
document as a snapshot (``document_events``)."""
