"""Where the data are analysed: questions asked of the ingested table, and the arithmetic.

- `trade`: the notebooks' questions (totals by partner, products, months) with their coverage;
- `panel`: the same questions as Ibis expressions, so they run on DuckDB or on Spark;
- `coverage`: which months a scope holds, and the reasons in words when it does not;
- `conversion`: the range a value converted from yuan may lie in;
- `growth`, `stats`, `intervals`: growth and shares, the small models, and value ranges.

Modules are imported one by one (`from helpers.analysis import trade`): nothing is loaded here.
"""
