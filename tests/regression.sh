#!/usr/bin/env bash
# The notebook regression test (nbval) on the DEMO-only copy. When a notebook's output differs
# from its baseline, the last line names the notebooks and the command that accepts the change.
# Usage (from the Makefile): PY=.venv/bin/python TESTBED=.testbed tests/regression.sh
set -o pipefail
log="$TESTBED/nbval.log"
if HELPERS_PROJECT_ROOT="$TESTBED" "$PY" -m pytest --nbval "$TESTBED/notebooks" \
     --nbval-sanitize-with tests/nbval_sanitize.cfg 2>&1 | tee "$log"; then
  exit 0
fi
failed=$(grep -oE '^FAILED .*notebooks/[0-9]{2}' "$log" | grep -oE '[0-9]{2}$' | sort -u | tr '\n' ' ')
if [ -n "$failed" ]; then
  first=${failed%% *}
  echo "Notebook(s) ${failed% } differ from their baseline in notebooks/. If the change is" \
       "intended, accept it with: make baseline NB=$first (one per notebook), review the diff, commit."
else
  echo "The notebook regression test did not run through (see above)."
fi
exit 1
