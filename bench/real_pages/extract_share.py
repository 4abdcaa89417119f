"""How much of the extractor's CPU on real pages is trafilatura: one process, one WARC file.

Runs ``WarcExtractor`` (default settings, 30 s limit as in the head-to-head) over a WARC file written by
``bench/real_pages`` and times ``extract_main_text`` (trafilatura plus our table / paragraph fix-ups)
inside it. The rest is WARC reading, charset decoding, title / language hints and row building: the
part a faster pipeline can win when both sides run the same trafilatura.

    .venv/bin/python bench/real_pages/extract_share.py /tmp/real_pages/warc/wceb-1.warc.gz
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pipeline.extract.warc_extractor as warc_extractor


def main() -> None:
    path = sys.argv[1]
    spent: list[float] = []
    original = warc_extractor.extract_main_text

    def timed(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.process_time() - started)

    warc_extractor.extract_main_text = timed
    extractor = warc_extractor.WarcExtractor(source="real", crawl="bench", timeout_s=30)
    started = time.process_time()
    rows = list(extractor.extract_file(path))
    total = time.process_time() - started
    print(
        f"{path}: {len(rows)} records, {total:.1f} CPU s in the extractor, "
        f"{sum(spent):.1f} s ({sum(spent) / total:.0%}) in extract_main_text over {len(spent)} pages"
    )


if __name__ == "__main__":
    main()
