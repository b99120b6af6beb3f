#!/usr/bin/env bash
# Every test of the collection (what `make test` runs). Expects the venv's bin first on PATH, or TEST_VENV=<venv>
# (tools/matrix.sh runs it once per ansible-core version that way).
# Stages the working tree under a temporary ansible_collections/pingone/platform, as ansible-test needs.
set -euo pipefail
export LC_ALL=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1 ANSIBLE_NOCOLOR=1
[ -z "${TEST_VENV:-}" ] || export PATH="$TEST_VENV/bin:$PATH"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYV=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
NS=$(awk '/^namespace:/{print $2}' "$ROOT/galaxy.yml")
NAME=$(awk '/^name:/{print $2}' "$ROOT/galaxy.yml")

# ansible-test bootstraps pip in its sanity venvs from a URL this network cannot reach: give it a local stand-in.
PIPV=$(python -c "import re,pathlib,ansible_test as a; print(re.search(r\"pip='([0-9.]+)'\", (pathlib.Path(a.__file__).parent/'_internal/python_requirements.py').read_text()).group(1))")
mkdir -p "$HOME/.ansible/test/cache"
cp "$ROOT/tools/get_pip_shim.py" "$HOME/.ansible/test/cache/get_pip_${PIPV//./_}.py"

STAGE=$(mktemp -d)
EMULATOR_DIR="$STAGE/emulator"
cleanup() { "$ROOT/tools/emulator.sh" stop "$EMULATOR_DIR" || true; rm -rf "$STAGE"; }
trap cleanup EXIT
DEST="$STAGE/ansible_collections/$NS/$NAME"
mkdir -p "$DEST"
(cd "$ROOT" && git ls-files -z --cached --others --exclude-standard \
   | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
   | tar --null -T - -cf -) | tar -xf - -C "$DEST"
cd "$DEST"

# While developing, run some stages only: TEST_STAGES="units integration" INTEGRATION_TARGETS="pingone_smtp" make test
# (stages: emulator sanity units integration lint build bench changelog docs release); INTEGRATION_EXCLUDE="pacing"
# leaves targets out.
TEST_STAGES=${TEST_STAGES:-emulator sanity units integration lint build bench changelog docs release}
read -r -a INTEGRATION_TARGETS <<<"${INTEGRATION_TARGETS:-}"
for target in ${INTEGRATION_EXCLUDE:-}; do INTEGRATION_TARGETS+=(--exclude "$target"); done
passed=0
wanted() { [[ " $TEST_STAGES " == *" $1 "* ]]; }
stage() { echo; echo "=== $1"; shift; "$@"; passed=$((passed + 1)); }

wanted emulator && stage "emulator self-tests" python -m pytest -q -p no:cacheprovider tests/emulator
wanted sanity && stage "ansible-test sanity" ansible-test sanity --python "$PYV" --color no
wanted units && stage "ansible-test units" ansible-test units --python "$PYV" --local --color no

integration() {
  PYTHON=python "$ROOT/tools/emulator.sh" start "$EMULATOR_DIR" --seed 6
  # ansible-test passes no environment variables to the targets: they read the emulator's address from here,
  # and where the SMTP test server script is (targets that need SMTP servers start their own with it).
  python -c 'import json,sys; print(json.dumps({"emulator": json.load(open(sys.argv[1])), "smtp_server_script": sys.argv[2]}))' \
    "$EMULATOR_DIR/emulator.json" "$DEST/tools/smtp_server.py" >tests/integration/integration_config.yml
  ansible-test integration --python "$PYV" --local --color no "${INTEGRATION_TARGETS[@]}"
  "$ROOT/tools/emulator.sh" stop "$EMULATOR_DIR"
}
wanted integration && stage "ansible-test integration" integration

wanted lint && stage "ansible-lint" env ANSIBLE_COLLECTIONS_PATH="$STAGE" ansible-lint
build_and_doc() {
  ansible-galaxy collection build --force --output-path "$STAGE/dist" >/dev/null
  ansible-galaxy collection install "$STAGE"/dist/*.tar.gz -p "$STAGE/installed" >/dev/null
  local plugin
  for plugin in plugins/modules/*.py plugins/inventory/*.py plugins/filter/*.py roles/*/; do
    case "$plugin" in
      plugins/modules/*) set -- module "$(basename "$plugin" .py)" ;;
      plugins/inventory/*) set -- inventory "$(basename "$plugin" .py)" ;;
      plugins/filter/*) set -- filter "$(basename "$plugin" .py)" ;;
      roles/*) set -- role "$(basename "$plugin")" ;;
    esac
    ANSIBLE_COLLECTIONS_PATH="$STAGE/installed" ansible-doc -t "$1" "$NS.$NAME.$2" | grep -q . || { echo "ansible-doc rendered nothing for $1 $2"; return 1; }
    echo "ansible-doc renders $1 $NS.$NAME.$2"
  done
}
wanted build && stage "galaxy build, install, ansible-doc" build_and_doc
# The benchmark's scenarios at N = 3, one round: checks the requests each run sends, never its times.
wanted bench && stage "benchmark smoke test" python tests/bench/bench.py --smoke

wanted changelog && stage "antsibull-changelog lint" antsibull-changelog lint

docs() {
  antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs=all .
  # The docsite also lands in the work tree's dist/docsite (what `make docs` builds).
  bash "$ROOT/tools/docs.sh" "$STAGE" "$ROOT/dist/docsite"
  DOCSITE_DIR="$ROOT/dist/docsite" COLLECTION_DIR="$DEST" python -m pytest -q -p no:cacheprovider tests/docsite
}
wanted docs && stage "docs lint, docsite build, a page for every plugin and role" docs

release() {
  local version tarball
  version=$(awk '/^version:/{print $2}' galaxy.yml)
  tarball=$NS-$NAME-$version.tar.gz
  # galaxy-importer (what Galaxy runs on upload) requires `repository`; galaxy.yml leaves it out until the project
  # has a public home, so this check alone builds from a copy that names a reserved, unresolvable URL.
  mkdir -p "$STAGE/importer"
  cp -r . "$STAGE/importer/src"
  grep -q '^repository:' galaxy.yml ||
    echo "repository: https://no-public-home-yet.invalid/$NS/$NAME" >>"$STAGE/importer/src/galaxy.yml"
  (cd "$STAGE/importer/src" && ansible-galaxy collection build --force --output-path "$STAGE/importer" >/dev/null)
  printf '[galaxy-importer]\ncheck_required_tags = True\n' >"$STAGE/importer/galaxy-importer.cfg"
  GALAXY_IMPORTER_CONFIG="$STAGE/importer/galaxy-importer.cfg" python -m galaxy_importer.main "$STAGE/importer/$tarball" \
    >"$STAGE/importer/import.log" 2>&1 || { cat "$STAGE/importer/import.log"; return 1; }
  grep 'Importer processing completed successfully' "$STAGE/importer/import.log"

  # The execution environment installs the collection's tarball from dist/ and its Python requirements.
  ansible-galaxy collection build --force --output-path dist >/dev/null
  ansible-builder create -f meta/execution-environment.yml -c "$STAGE/ee" >/dev/null
  grep -qx 'requests.*' "$STAGE/ee/_build/requirements.txt" || { echo "the EE build context does not name requests"; return 1; }
  [ -f "$STAGE/ee/_build/collections/$tarball" ] || { echo "the EE build context lacks $tarball"; return 1; }
  grep -q "collections/$tarball" "$STAGE/ee/_build/requirements.yml" || { echo "the EE does not install $tarball"; return 1; }
  echo "ansible-builder create: the EE context installs $tarball and names requests"
}
wanted release && stage "galaxy-importer, execution environment" release
echo
echo "test stages: $passed passed, 0 failed"
