"""Demo step, last of all: at ``--scale national`` the 10,000,000-value benchmark dataset
(``national``); at every scale the aggregate table is made to match the data values, so
values other steps bulk-created without the write path's signal are counted too."""

from . import cube, national

ORDER = 90


def build(ctx):
    if ctx.scale == "national":
        result = national.ensure(national.TARGET, seed=ctx.seed, progress=ctx.progress)
        ctx.summary.append(result.summary())
        if not result.reused:
            return  # the build rebuilt the aggregate table already
    rows = cube.rebuild()
    ctx.summary.append(f"Analytics aggregate table: {rows:,} rows")
