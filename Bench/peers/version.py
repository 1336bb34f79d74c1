"""Prints the versions of the peer libraries as JSON, for the headers of results files."""
import numpy

from common import emit

versions = {"numpy": numpy.__version__}
for name in ("scipy", "sklearn", "torch"):
    try:
        versions[name] = __import__(name).__version__
    except ImportError:
        versions[name] = "not installed"
emit(versions)
