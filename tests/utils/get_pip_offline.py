"""Stand-in for get-pip.py, which ansible-test downloads and which cannot be fetched here.

ansible-test runs it with the new venv's interpreter and pip-style arguments. The interpreter's
own ensurepip provides pip; running it in a subprocess keeps pip's configuration (CA bundle,
index) in force for the install that follows.
"""

import subprocess
import sys

subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
if args:
    subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)
