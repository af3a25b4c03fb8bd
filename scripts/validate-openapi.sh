#!/usr/bin/env bash
# Validates openapi.yaml with openapi-spec-validator (OpenAPI 3.1 and its JSON Schema),
# installed from PyPI into target/ci-venv the first time.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/ci-venv
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check openapi-spec-validator
fi
"$venv/bin/openapi-spec-validator" openapi.yaml
