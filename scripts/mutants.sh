#!/usr/bin/env bash
# Mutation testing (cargo-mutants) over the folders that hold the rules: src/domain,
# src/registry, src/audit, src/auth and src/export (.cargo/mutants.toml). Every mutant
# is judged by the whole test suite on SQLite; PostgreSQL is left out because the rules
# do not depend on the backend and it would double the time.
#
#   scripts/mutants.sh                     # every mutant in scope (hours on 2 cores)
#   scripts/mutants.sh --file src/domain/legal_dates.rs
#   scripts/mutants.sh --in-diff <(git diff main)   # only what a change touched
#   JOBS=2 scripts/mutants.sh              # parallel builds, if memory and cores allow
#
# Results land in mutants.out/ (caught.txt, missed.txt, timeout.txt, unviable.txt);
# docs/TESTING.md reports them.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null 2>&1; then
  cargo install --locked cargo-mutants
fi

unset TERROIR_TEST_POSTGRES_URL
exec cargo mutants --jobs "${JOBS:-1}" "$@"
