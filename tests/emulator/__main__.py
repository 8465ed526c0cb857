"""`python -m emulator`: the same command line as serve.py."""

import sys

from .serve import main

sys.exit(main())
