#!/usr/bin/env bash
# Mutation testing (cargo-mutants) over the folders that hold the rules: src/domain,
# src/registry, src/audit, src/auth and src/export (see docs/TESTING.md). Every mutant
# is judged by the test suite on SQLite; PostgreSQL is left out because the rules do
# not depend on the backend and it would double the time.
#
#   scripts/mutants.sh                     # every mutant in scope (many hours on 2 cores)
#   scripts/mutants.sh --file src/domain/legal_dates.rs    # one file
#   scripts/mutants.sh --in-diff <(git diff main)          # only what a change touched
#   UNIT_FIRST=1 scripts/mutants.sh ...    # two passes: the unit tests alone judge every
#                                          # mutant, then the whole suite only those missed
#   JOBS=2 scripts/mutants.sh              # parallel builds, if memory and cores allow
#
# Results land in mutants.out/ (caught.txt, missed.txt, timeout.txt, unviable.txt);
# docs/TESTING.md reports them.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null 2>&1; then
  cargo install --locked cargo-mutants
fi

scope=()
case " $* " in
  *" --file "* | *" -f "* | *" --in-diff "*) ;;
  *) for folder in domain registry audit auth export; do scope+=(--file "src/$folder/**/*.rs"); done ;;
esac

unset TERROIR_TEST_POSTGRES_URL
if [ -n "${UNIT_FIRST:-}" ]; then
  # A mutant the unit tests catch needs no integration test: a build of the library's
  # tests alone is several times cheaper than one of the HTTP suite.
  cargo mutants --jobs "${JOBS:-1}" "${scope[@]}" --cargo-test-arg=--lib "$@" || true
  exec cargo mutants --jobs "${JOBS:-1}" "${scope[@]}" --iterate "$@"
fi
exec cargo mutants --jobs "${JOBS:-1}" "${scope[@]}" "$@"
