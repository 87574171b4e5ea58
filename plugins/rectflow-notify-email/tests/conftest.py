"""The fixtures of notify_email_support, for every test of the plugin."""

from notify_email_support import (
    certificate,
    notices,
    smtp_server,
    ssl_server,
    starttls_server,
    write_config,
)

__all__ = ["certificate", "notices", "smtp_server", "ssl_server", "starttls_server", "write_config"]
