#!/usr/bin/python3
"""Tiles and visual tokens of each tiling policy over a realistic mix of image sizes, computed by
Kestrel itself (`kestrel tiles`), for docs/bench/vision.md.

    ./mvnw -q -DskipTests package && /usr/bin/python3 parity/bench/tiling_mix.py [--tile-size 512 --max-tiles 16 --tokens 64]

Visual tokens = (tiles + thumbnail) x tokens per tile (64 for SmolVLM-256M/500M's 512-pixel tiles).
"""
import argparse
import json
import subprocess
import sys

# (category, width, height): common desktop screens, phone screenshots, A4 scans at 150/300 DPI,
# camera photos (landscape and portrait), long receipts, and small web images.
MIX = [
    ("desktop screen", 1920, 1080), ("desktop screen", 2560, 1440), ("desktop screen", 1366, 768),
    ("desktop screen", 3024, 1964), ("desktop window", 1280, 800), ("desktop window", 900, 700),
    ("phone screenshot", 1080, 2400), ("phone screenshot", 1170, 2532), ("phone screenshot", 1290, 2796),
    ("phone screenshot", 720, 1600),
    ("A4 scan", 1240, 1754), ("A4 scan", 2480, 3508), ("letter scan", 2550, 3300),
    ("photo", 4032, 3024), ("photo", 3024, 4032), ("photo", 4000, 3000), ("photo", 1600, 1200),
    ("receipt", 576, 2000), ("receipt", 800, 3200), ("receipt", 384, 1600),
    ("web image", 380, 393), ("web image", 500, 102), ("web image", 640, 480), ("icon", 128, 128),
]
POLICIES = ["relaxed", "llava-next", "internvl", "idefics3"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tile-size", type=int, default=512)
    parser.add_argument("--max-tiles", type=int, default=16)
    parser.add_argument("--tokens", type=int, default=64, help="tokens per tile")
    parser.add_argument("--jar", default="app/target/kestrel.jar")
    args = parser.parse_args()
    sizes = [f"{w}x{h}" for _, w, h in MIX]
    grids = {}
    for policy in POLICIES:
        out = subprocess.run(["java", "-jar", args.jar, "tiles", "--policy", policy, "--tile-size", str(args.tile_size),
                              "--max-tiles", str(args.max_tiles), *sizes], check=True, capture_output=True, text=True).stdout
        grids[policy] = [json.loads(line) for line in out.splitlines()]

    print(f"Tile {args.tile_size} px, at most {args.max_tiles} tiles, {args.tokens} tokens per tile.\n")
    print("| image | size | " + " | ".join(POLICIES) + " |")
    print("|---|---|" + "---|" * len(POLICIES))
    totals = {p: [0, 0] for p in POLICIES}
    for i, (category, w, h) in enumerate(MIX):
        cells = []
        for policy in POLICIES:
            g = grids[policy][i]
            encoded = g["tiles"] + (1 if g["thumbnail"] else 0)
            totals[policy][0] += encoded
            totals[policy][1] += encoded * args.tokens
            cells.append(f"{g['cols']}:{g['rows']}{'+t' if g['thumbnail'] else ''} ({encoded * args.tokens})")
        print(f"| {category} | {w}x{h} | " + " | ".join(cells) + " |")
    n = len(MIX)
    print("| **mean encoded tiles** | | " + " | ".join(f"{totals[p][0] / n:.2f}" for p in POLICIES) + " |")
    print("| **mean visual tokens** | | " + " | ".join(f"{totals[p][1] / n:.0f}" for p in POLICIES) + " |")
    base = totals["relaxed"][1]
    print("| **tokens vs relaxed** | | " + " | ".join(f"{totals[p][1] / base:.2f}x" for p in POLICIES) + " |")


if __name__ == "__main__":
    sys.exit(main())
