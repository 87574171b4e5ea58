"""The self-contained HTML dashboard and its charts."""
