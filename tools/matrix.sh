#!/usr/bin/env bash
# `make test-matrix`: the suite on every supported ansible-core, each in its own venv (.venv-<version>, reused
# while tools/matrix-requirements.txt and the requirements it includes are unchanged).
# Prints a table (version x stage -> pass/FAIL) and writes it to tests/matrix.md.
#   MATRIX_VERSIONS="2.16 2.21" MATRIX_STAGES="units integration" make test-matrix   # a subset
#   MATRIX_JOBS=1 make test-matrix                                                   # one version at a time
# Do not edit the work tree while it runs: every stage copies the tree as it is when the stage starts.
set -uo pipefail
export PIP_DISABLE_PIP_VERSION_CHECK=1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYENV_ROOT=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}

# ansible-core minor -> the Python it is tested on (each within that release's controller Python range).
declare -A PYTHON_FOR=([2.16]=3.11.7 [2.17]=3.12.1 [2.18]=3.13.0 [2.19]=3.11.7 [2.20]=3.12.1 [2.21]=3.13.0 [floor]=3.11.7)
# `floor`: the oldest ansible-core with the lowest requests requirements.txt declares, and the urllib3 1.26 that
# requests allows (what execution environments and distributions ship; other collections pin urllib3<2).
declare -A CORE_FOR=([floor]=2.16)
declare -A PINS_FOR=([floor]="requests==2.28.0 urllib3<2")
ALL_VERSIONS="2.16 2.17 2.18 2.19 2.20 2.21 floor"
read -r -a VERSIONS <<<"${MATRIX_VERSIONS:-$ALL_VERSIONS}"
read -r -a STAGES <<<"${MATRIX_STAGES:-emulator sanity units integration build}"
# Versions run side by side, two at a time by default: each has its own venv, staged copy and emulator.
JOBS=${MATRIX_JOBS:-2}
LOGDIR=$ROOT/tests/output/matrix
mkdir -p "$LOGDIR"
# Only a run of every version and stage replaces the committed table; a subset's table stays in tests/output.
TABLE=$LOGDIR/matrix.md
[ -z "${MATRIX_VERSIONS:-}${MATRIX_STAGES:-}" ] && TABLE=$ROOT/tests/matrix.md
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT plus uncommitted changes"
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

python_for() {  # the pyenv Python for an ansible-core version; python3 when that is the same minor version
  local full=${PYTHON_FOR[$1]} minor
  minor=${full%.*}
  if [ -x "$PYENV_ROOT/versions/$full/bin/python$minor" ]; then
    echo "$PYENV_ROOT/versions/$full/bin/python$minor"
  elif [ "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" = "$minor" ]; then
    command -v python3
  fi
}

venv_for() {  # creates or reuses .venv-<version>; fails when it cannot be built
  local version=$1 python=$2 venv=$ROOT/.venv-$1 stamp core=${CORE_FOR[$1]:-$1} pins
  read -r -a pins <<<"${PINS_FOR[$1]:-}"
  stamp=$( (cat "$ROOT/tools/matrix-requirements.txt" "$ROOT/requirements.txt" "$ROOT/tests/unit/requirements.txt" \
          "$ROOT/tests/integration/requirements.txt"; echo "${pins[*]}") | sha256sum | cut -c1-16)-$python
  [ "$(cat "$venv/.matrix-stamp" 2>/dev/null)" = "$stamp" ] && return 0
  rm -rf "$venv"
  "$python" -m venv "$venv" &&
    "$venv/bin/pip" install -q "ansible-core==$core.*" -r "$ROOT/tools/matrix-requirements.txt" "${pins[@]}" &&
    echo "$stamp" >"$venv/.matrix-stamp"
}

run_version() {  # every stage on one version; writes "label" and "stage<TAB>result" lines to $LOGDIR/<version>.result
  local version=$1 python core pyv stage log start result out=$LOGDIR/$1.result
  python=$(python_for "$version")
  if [ -z "$python" ]; then
    echo "$version" >"$out"
    for stage in "${STAGES[@]}"; do printf '%s\tnot run (no Python %s)\n' "$stage" "${PYTHON_FOR[$version]}" >>"$out"; done
    return
  fi
  echo "=== ansible-core $version: venv .venv-$version ($python)"
  if ! venv_for "$version" "$python" >"$LOGDIR/$version-venv.log" 2>&1; then
    cat "$LOGDIR/$version-venv.log"
    echo "$version" >"$out"
    for stage in "${STAGES[@]}"; do printf '%s\tnot run (venv failed)\n' "$stage" >>"$out"; done
    return
  fi
  core=$("$ROOT/.venv-$version/bin/python" -c 'from ansible.release import __version__; print(__version__)')
  pyv=$("$ROOT/.venv-$version/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  echo "$core (Python $pyv)" >"$out"
  for stage in "${STAGES[@]}"; do
    log=$LOGDIR/$version-$stage.log
    start=$SECONDS
    if TEST_VENV="$ROOT/.venv-$version" TEST_STAGES="$stage" bash "$ROOT/tools/test.sh" >"$log" 2>&1; then
      result="pass ($((SECONDS - start)) s)"
    else
      result="**FAIL** ($((SECONDS - start)) s, tests/output/matrix/$version-$stage.log)"
      tail -n 30 "$log"
    fi
    printf '%s\t%s\n' "$stage" "$result" >>"$out"
    echo "ansible-core $core, $stage: $result"
  done
}

for version in "${VERSIONS[@]}"; do
  rm -f "$LOGDIR/$version.result"
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
  run_version "$version" &
done
wait

{
  echo "# Tested with Ansible"
  echo
  echo "Written by \`make test-matrix\` (tools/matrix.sh), started $STARTED on commit \`$COMMIT\`."
  echo "Each ansible-core runs in its own venv, $JOBS versions at a time; the stages are those of \`tools/test.sh\`"
  echo "(emulator self-tests, ansible-test sanity, units, integration against the emulator, galaxy build + install +"
  echo "ansible-doc). Times are wall-clock seconds."
  echo
  printf '| ansible-core |'; printf ' %s |' "${STAGES[@]}"; echo
  printf '|---|'; printf -- '---|%.0s' "${STAGES[@]}"; echo
  for version in "${VERSIONS[@]}"; do
    printf '| %s |' "$(head -n 1 "$LOGDIR/$version.result" 2>/dev/null || echo "$version")"
    for stage in "${STAGES[@]}"; do
      printf ' %s |' "$(awk -F '\t' -v s="$stage" '$1 == s {print $2}' "$LOGDIR/$version.result" 2>/dev/null | grep . || echo 'not run')"
    done
    echo
  done
} >"$TABLE.new"
mv "$TABLE.new" "$TABLE"
echo; cat "$TABLE"
! grep -q -e FAIL -e 'not run' "$TABLE"
