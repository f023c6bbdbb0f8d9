"""`python -m xpml.bench` is `python -m xpml bench`."""

import sys

from . import main

sys.exit(main())
