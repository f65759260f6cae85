"""Start the ralph LRS (run with .venv-ralph/bin/python, not the project's Python).

ralph 5.1.0's filesystem LRS backend opens its statements file in CREATE mode, so every
POST after the first fails (HTTP 500 "Statements bulk indexation failed"). Setting the
backend's default operation type to APPEND before the app is imported fixes it.
Configuration comes from RALPH_* environment variables set by the ``ralph_lrs`` fixture.
"""

import argparse

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402
from ralph.api import app  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
