import logging

# Silent unless the application configures logging: unexpected errors are logged with their
# tracebacks for developers (`scrutiny ingest --verbose` prints them), never shown to users.
logging.getLogger("scrutiny").addHandler(logging.NullHandler())
