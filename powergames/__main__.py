"""``python -m powergames`` runs the command line."""

import sys

from powergames.cli import main

sys.exit(main())
