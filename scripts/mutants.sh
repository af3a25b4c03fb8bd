#!/usr/bin/env bash
# Mutation testing (cargo-mutants) over the code that holds the rules (see docs/TESTING.md),
# in two scopes:
#
#   domain   the crate crates/domain (terroir-domain), each mutant judged by that crate's
#            own unit tests: a rebuild of about 10,000 lines, seconds per mutant.
#   service  src/registry, src/audit, src/auth and src/export, each mutant judged by the
#            service's whole suite on SQLite (PostgreSQL is left out: the rules do not
#            depend on the backend and it would double the time): minutes per mutant.
#
#   scripts/mutants.sh                     # both scopes, one after the other
#   scripts/mutants.sh domain              # every mutant of the domain crate
#   scripts/mutants.sh domain --file crates/domain/src/legal_dates.rs    # one file
#   scripts/mutants.sh domain --shard 0/4 --sharding round-robin  # a deterministic quarter
#   scripts/mutants.sh service --file src/registry/amendments.rs
#   scripts/mutants.sh service --in-diff <(git diff main)  # only what a change touched
#   UNIT_FIRST=1 scripts/mutants.sh service ...  # two passes: the unit tests alone judge
#                                          # every mutant, then the whole suite only those missed
#   JOBS=2 scripts/mutants.sh domain       # parallel builds, if memory and cores allow
#
# Any other arguments go to cargo-mutants as they are (`--iterate` re-runs only what a
# previous run of the same scope did not catch). Results land in mutants/<scope>/mutants.out/
# (caught.txt, missed.txt, timeout.txt, unviable.txt); docs/TESTING.md reports them.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo-mutants >/dev/null 2>&1; then
  cargo install --locked cargo-mutants
fi

scopes=(domain service)
case "${1:-}" in
  domain | service) scopes=("$1"); shift ;;
esac

unset TERROIR_TEST_POSTGRES_URL
# No debug info in cargo-mutants' builds: it changes no test's verdict, and every mutant
# pays for it in codegen and linking (the service's test binaries most). The developer's
# own target/ is not touched: cargo-mutants builds in a copy of the tree.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
mkdir -p mutants/domain mutants/service

run_domain() {
  # -p both selects the files to mutate and, cargo-mutants' default, the only package
  # whose tests judge them. --lib: the crate has no doctests, and rustdoc finding none
  # costs a third of each mutant's test time. The tests take 1-3 s; the auto-set limit
  # (20 s) cut mutants the tests would have caught on a loaded machine.
  cargo mutants --jobs "${JOBS:-1}" -p terroir-domain --output mutants/domain \
    --cargo-test-arg=--lib --minimum-test-timeout 60 "$@"
}

run_service() {
  local scope=()
  case " $* " in
    *" --file "* | *" -f "* | *" --in-diff "*) ;;
    *) for folder in registry audit auth export; do scope+=(--file "src/$folder/**/*.rs"); done ;;
  esac
  # The library's unit tests take about 3 s, so the auto-set limit of the first pass is
  # 20 s, which a loaded machine reaches with mutants the tests would have caught.
  local mutants=(cargo mutants --jobs "${JOBS:-1}" -p terroir --output mutants/service
    --minimum-test-timeout 120 "${scope[@]}")
  if [ -n "${UNIT_FIRST:-}" ]; then
    # A mutant the unit tests catch needs no integration test: a build of the library's
    # tests alone is several times cheaper than one of the HTTP suite. --cargo-arg, not
    # --cargo-test-arg: the latter reaches only the test run, so every mutant's build
    # still compiled and linked the HTTP suite and the binary's tests.
    "${mutants[@]}" --cargo-arg=--lib "$@" || true
    "${mutants[@]}" --iterate "$@"
  else
    "${mutants[@]}" "$@"
  fi
}

# cargo-mutants exits non-zero when a mutant is missed; the next scope still runs, and
# the script fails if either scope did.
status=0
for scope in "${scopes[@]}"; do
  "run_$scope" "$@" || status=$?
done
exit "$status"
