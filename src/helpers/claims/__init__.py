"""Where the articles' claims are judged: the ledger, the evidence rules, the statuses.

- `ledger`: the typed claims (`data/raw/claims.csv`) and the articles they come from;
- `evidence`: what may judge a claim (a customs download, a cited published figure, ECB rates,
  the article itself) and what may not (the article's own outlet, later periods);
- `status`: the status rules, the recorder notebooks file values with, the claims table;
- `published`: the cited figures in `data/raw/published/` as intervals;
- `scmp`, `consistency`: the routing of one article's customs claims, and the internal
  consistency checks of its dates and ratios.

`from helpers import claims` gives the names notebooks use (`claims.Recorder`,
`claims.published_figure`, `claims.ARTICLE`, ...), all defined in the modules above.
"""

from helpers.claims.evidence import (
    ARTICLE,
    ECB_RATES,
    Evidence,
    cannot_judge,
    evidence_of,
    published_figure,
)
from helpers.claims.ledger import (
    allowed,
    article_day,
    article_of,
    claim,
    ledger_path,
    load_ledger,
    period_bounds,
    stated,
)
from helpers.claims.status import (
    EVIDENCE_STATUS,
    EXTRA_COLUMNS,
    REPORT_COLUMNS,
    STATUSES,
    Recorded,
    Recorder,
    build_table,
    claims_dir,
    collect,
    status_for,
    write_report,
)

__all__ = ["ARTICLE", "ECB_RATES", "EVIDENCE_STATUS", "EXTRA_COLUMNS", "REPORT_COLUMNS",
           "STATUSES", "Evidence", "Recorded", "Recorder", "allowed", "article_day",
           "article_of", "build_table", "cannot_judge", "claim", "claims_dir", "collect",
           "evidence_of", "ledger_path", "load_ledger", "period_bounds", "published_figure",
           "stated", "status_for", "write_report"]
