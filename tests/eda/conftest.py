"""The event source importable by its file name (as ansible-rulebook loads it), and the emulator's helpers."""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = os.path.join(ROOT, 'extensions', 'eda', 'plugins', 'event_source')
sys.path.insert(0, SOURCES)
sys.path.insert(0, os.path.join(ROOT, 'tests'))
