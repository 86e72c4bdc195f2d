"""Where pages are made: notebooks executed, rendered and gathered into reports/.

- `notebook`: what every notebook does the same way (setup, banner, tables, data statement);
- `runner`: executing a notebook with papermill, and re-baselining the nbval regression;
- `site`: the HTML pages, their header and footer, the index and the claims table;
- `testbed`: the DEMO-only copy of the project that tests and baselines run in.

Modules are imported one by one (`from helpers.reports import notebook`): nothing is loaded here.
"""
