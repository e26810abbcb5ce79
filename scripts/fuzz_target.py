"""What one fuzz input goes through; shared by scripts/fuzz_validate.py (under atheris) and by
tests/test_fuzz_corpus.py (which replays the crash corpus without atheris).

The promise under test is the project's: bad input never raises. Each input is fed to
``validate_stream`` under the child-support profile and under the Idaho profile, to
``ded.decode`` (as CCD+ text and as 820 text) and to ``ctx820.parse_820`` sliced 80 wide.
"""

from __future__ import annotations

import io

from nacha_cs.codecs import ctx820
from nacha_cs.codecs import ded as ded_codec
from nacha_cs.validate import Options, validate_stream
from nacha_cs.validate.profiles import load_profile

OPTIONS = (Options(), Options(state=load_profile("idaho")))


def exercise(data: bytes) -> None:
    for options in OPTIONS:
        validate_stream(io.BytesIO(data), options, path="fuzz")
    text = data.decode("latin-1")
    ded_codec.decode(text)
    ded_codec.decode(text, long_date=True, max_length=None)
    fields = [text[i : i + 80] for i in range(0, min(len(text), 80 * 64), 80)]
    ctx820.parse_820([(n + 1, f) for n, f in enumerate(fields)], entry_amount=len(data))
