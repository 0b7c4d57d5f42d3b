#!/bin/sh
# Refresh the phone screenshots in docs/screenshots/ (390 × 844: the steward's start page and the contact
# form). They are taken by the browser test that also checks the primary action is above the fold.
set -eu
cd "$(dirname "$0")/.."
WAAKVLAM_SCREENSHOTS=docs "${WAAKVLAM_BIN:-.venv/bin}/pytest" tests/e2e/test_phone.py tests/e2e/test_handover_journey.py::test_the_checklist_on_a_phone -q
