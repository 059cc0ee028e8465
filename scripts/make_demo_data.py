"""Regenerate the demo planning folder shipped in the package (src/camp_planner/demo/data).

Usage: ``python scripts/make_demo_data.py [--seed 2027]``. The output is deterministic;
tests/io/test_demo.py checks that the committed files equal a fresh generation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from camp_planner.demo.generator import DEMO_SEED, render_demo

DEMO_DATA = Path(__file__).resolve().parents[1] / "src" / "camp_planner" / "demo" / "data"


def main() -> None:
    """Write companies.csv, venues.csv, round.toml and programme.toml into the package's
    demo/data folder."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=DEMO_SEED)
    parser.add_argument("--out", type=Path, default=DEMO_DATA)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in render_demo(args.seed).items():
        (args.out / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.out / name}")


if __name__ == "__main__":
    main()
