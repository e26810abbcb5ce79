"""Build the compiled scanner (nacha_cs/validate/_scan.pyx) and extractor
(nacha_cs/ach/_extract.pyx); all metadata is in pyproject.toml.

Cython comes in through the build requirements; a C compiler and the Python headers must be
there. The extension is optional: where it cannot be built the package installs without it and
runs the pure-Python validator (``nacha-cs --version`` says which). CI requires it built
(tests/test_scanner.py).
"""

import sys

from setuptools import Extension, setup

try:
    from Cython.Build import cythonize
except ImportError:  # a build without the build requirements (no isolation, no Cython)
    print("warning: Cython is not installed; nacha-cs installs without its compiled scanner",
          file=sys.stderr)
    extensions = []
else:
    extensions = cythonize(
        [Extension(name, [name.replace(".", "/") + ".pyx"], extra_compile_args=["-O3"],
                   optional=True)
         for name in ("nacha_cs.validate._scan", "nacha_cs.ach._extract",
                      "nacha_cs.employer._lane")],
        compiler_directives={"language_level": "3"},
    )

setup(ext_modules=extensions)
