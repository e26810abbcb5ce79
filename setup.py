"""Build the compiled scanner (nacha_cs/validate/_scan.pyx); all metadata is in pyproject.toml.

Cython and a C compiler are needed at install; ``pip install`` brings Cython through the
build requirements. The package still runs without the extension (the pure-Python path).
"""

from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [Extension("nacha_cs.validate._scan", ["nacha_cs/validate/_scan.pyx"],
                   extra_compile_args=["-O3"])],
        compiler_directives={"language_level": "3"},
    ),
)
