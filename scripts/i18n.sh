#!/bin/sh
# Collect the UI's Dutch source strings into waakvlam/locale/en/LC_MESSAGES/django.po and compile the .mo.
#
# Needs GNU gettext (Debian: apt-get install gettext). Run it after adding or changing {% translate %},
# gettext() or gettext_lazy() strings, translate every new or fuzzy entry in the .po, then run it again so
# the .mo matches; commit both. tests/core/test_i18n.py fails while an entry is untranslated or fuzzy, or
# while the .mo does not match the .po. CI never runs this script: the .mo comes from the repository.
set -eu
cd "$(dirname "$0")/.."
BIN="${WAAKVLAM_BIN:-.venv/bin}"
IGNORE="--ignore=.venv --ignore=venv --ignore=tests --ignore=bench --ignore=docs --ignore=var --ignore=build --ignore=scripts --ignore=*.egg-info --ignore=node_modules"

# --add-location=file keeps line numbers out of the .po, so unrelated edits do not churn it.
# shellcheck disable=SC2086
"$BIN/waakvlam" makemessages --locale=en --domain=django --add-location=file --no-obsolete $IGNORE
# shellcheck disable=SC2086
"$BIN/waakvlam" compilemessages --locale=en $IGNORE

# Report what still needs a translator (untranslated or fuzzy); exit 1 so a script or hook notices.
PO=waakvlam/locale/en/LC_MESSAGES/django.po
stats="$(msgfmt --statistics -o /dev/null "$PO" 2>&1)"
echo "i18n: $PO: $stats"
case "$stats" in
  *fuzzy* | *untranslated*)
    echo "i18n: translate the empty and fuzzy entries in $PO, then run this script again." >&2
    exit 1
    ;;
esac
