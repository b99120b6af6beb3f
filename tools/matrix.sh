#!/usr/bin/env bash
# `make test-matrix`: the suite on every supported ansible-core, each in its own venv (.venv-<version>, reused
# while tools/matrix-requirements.txt and the requirements it includes are unchanged).
# Prints a table (version x stage -> pass/FAIL) and writes it to tests/matrix.md.
#   MATRIX_VERSIONS="2.16 2.21" MATRIX_STAGES="units integration" make test-matrix   # a subset
set -uo pipefail
export PIP_DISABLE_PIP_VERSION_CHECK=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYENV_ROOT=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}

# ansible-core minor -> the Python it is tested on (each within that release's controller Python range).
declare -A PYTHON_FOR=([2.16]=3.11.7 [2.17]=3.12.1 [2.18]=3.13.0 [2.19]=3.11.7 [2.20]=3.12.1 [2.21]=3.13.0)
ALL_VERSIONS="2.16 2.17 2.18 2.19 2.20 2.21"
read -r -a VERSIONS <<<"${MATRIX_VERSIONS:-$ALL_VERSIONS}"
read -r -a STAGES <<<"${MATRIX_STAGES:-emulator sanity units integration build}"
LOGDIR=$ROOT/tests/output/matrix
mkdir -p "$LOGDIR"
# Only a run of every version and stage replaces the committed table; a subset's table stays in tests/output.
TABLE=$LOGDIR/matrix.md
[ -z "${MATRIX_VERSIONS:-}${MATRIX_STAGES:-}" ] && TABLE=$ROOT/tests/matrix.md

python_for() {  # the pyenv Python for an ansible-core version; python3 when that is the same minor version
  local full=${PYTHON_FOR[$1]} minor
  minor=${full%.*}
  if [ -x "$PYENV_ROOT/versions/$full/bin/python$minor" ]; then
    echo "$PYENV_ROOT/versions/$full/bin/python$minor"
  elif [ "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" = "$minor" ]; then
    command -v python3
  fi
}

venv_for() {  # creates or reuses .venv-<version>; prints nothing, fails when it cannot be built
  local version=$1 python=$2 venv=$ROOT/.venv-$1 stamp
  stamp=$(cat "$ROOT/tools/matrix-requirements.txt" "$ROOT/requirements.txt" "$ROOT/tests/unit/requirements.txt" \
          "$ROOT/tests/integration/requirements.txt" | sha256sum | cut -c1-16)-$python
  [ "$(cat "$venv/.matrix-stamp" 2>/dev/null)" = "$stamp" ] && return 0
  rm -rf "$venv"
  "$python" -m venv "$venv" &&
    "$venv/bin/pip" install -q "ansible-core==$version.*" -r "$ROOT/tools/matrix-requirements.txt" &&
    echo "$stamp" >"$venv/.matrix-stamp"
}

declare -A RESULT LABEL
for version in "${VERSIONS[@]}"; do
  python=$(python_for "$version")
  if [ -z "$python" ]; then
    for stage in "${STAGES[@]}"; do RESULT[$version,$stage]="not run (no Python ${PYTHON_FOR[$version]})"; done
    continue
  fi
  echo "=== ansible-core $version: venv .venv-$version ($python)"
  if ! venv_for "$version" "$python" >"$LOGDIR/$version-venv.log" 2>&1; then
    cat "$LOGDIR/$version-venv.log"
    for stage in "${STAGES[@]}"; do RESULT[$version,$stage]="not run (venv failed)"; done
    continue
  fi
  core=$("$ROOT/.venv-$version/bin/python" -c 'from ansible.release import __version__; print(__version__)')
  pyv=$("$ROOT/.venv-$version/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  LABEL[$version]="$core (Python $pyv)"
  for stage in "${STAGES[@]}"; do
    log=$LOGDIR/$version-$stage.log
    start=$SECONDS
    if TEST_VENV="$ROOT/.venv-$version" TEST_STAGES="$stage" bash "$ROOT/tools/test.sh" >"$log" 2>&1; then
      RESULT[$version,$stage]="pass ($((SECONDS - start)) s)"
    else
      RESULT[$version,$stage]="**FAIL** ($((SECONDS - start)) s, tests/output/matrix/$version-$stage.log)"
      tail -n 30 "$log"
    fi
    echo "ansible-core $core, $stage: ${RESULT[$version,$stage]}"
  done
done

{
  echo "# Tested with Ansible"
  echo
  echo "Written by \`make test-matrix\` (tools/matrix.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit" \
       "\`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' plus uncommitted changes')."
  echo "Each ansible-core runs in its own venv; stages are those of \`tools/test.sh\` (emulator self-tests," \
       "ansible-test sanity, units, integration against the emulator, galaxy build + install + ansible-doc)."
  echo
  printf '| ansible-core |'; printf ' %s |' "${STAGES[@]}"; echo
  printf '|---|'; printf -- '---|%.0s' "${STAGES[@]}"; echo
  for version in "${VERSIONS[@]}"; do
    printf '| %s |' "${LABEL[$version]:-$version}"
    for stage in "${STAGES[@]}"; do printf ' %s |' "${RESULT[$version,$stage]}"; done
    echo
  done
} >"$TABLE.new"
mv "$TABLE.new" "$TABLE"
echo; cat "$TABLE"
! grep -q -e FAIL -e 'not run' "$TABLE"
