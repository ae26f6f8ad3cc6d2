"""`python -m prodready`.

`python -m` puts the working folder first on `sys.path`, and the working folder is often the
repository being audited: a `json.py` or `yaml.py` there, or a `*.dist-info` declaring a plug-in,
would run as soon as prodready imports it. The entry is taken out before anything else is
imported (as `python -P` would), unless Python was already told to leave it out.
"""

import os
import sys

if not sys.flags.safe_path and sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from prodready.cli import entry

entry()
