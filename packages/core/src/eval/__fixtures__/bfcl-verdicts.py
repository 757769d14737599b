"""Re-records bfcl_v3_upstream_verdicts.json with BFCL's own checker.

  BFCL_CASES_OUT=/tmp/cases.jsonl npx jest packages/core/src/eval/bfcl-upstream.spec.ts
  python3 bfcl-verdicts.py <gorilla>/berkeley-function-call-leaderboard /tmp/cases.jsonl > bfcl_v3_upstream_verdicts.json

Needs the bfcl_eval package importable from the checkout (its dependencies installed, or stub
modules for bfcl_eval.constants.model_config). Irrelevance entries: correct means no call.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])
from bfcl_eval.constants.enums import Language  # noqa: E402
from bfcl_eval.eval_checker.ast_eval.ast_checker import ast_checker  # noqa: E402

out = {}
for line in open(sys.argv[2]):
    c = json.loads(line)
    if c["category"] == "irrelevance":
        valid = len(c["output"]) == 0
    else:
        valid = ast_checker(c["functions"], c["output"], c["expected"], Language.PYTHON, c["category"], "gpt-4o")["valid"]
    out[c["id"] + "|" + c["kind"]] = valid
json.dump(out, sys.stdout, indent=0, sort_keys=True)
