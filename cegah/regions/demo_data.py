"""Demo step: the official regions and the offices."""

from .services import load_regions

ORDER = 10


def build(ctx):
    with ctx.progress(total=1, desc="regions") as bar:
        result = load_regions(progress=bar)
    totals = " / ".join(f"{result.totals[level]:,}" for level in (1, 2, 3, 4))
    ctx.summary.append(f"Regions (provinces / regencies / districts / villages): {totals}")
