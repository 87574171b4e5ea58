"""The revisions, oldest first: 0001 the tables, 0002 the items' spans through time."""
