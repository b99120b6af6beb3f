#!/usr/bin/env bash
# Builds the collection's docsite with antsibull-docs: tools/docs.sh COLLECTIONS_DIR OUTPUT_DIR
# COLLECTIONS_DIR holds ansible_collections/pingone/platform (tools/test.sh's staged copy); OUTPUT_DIR gets the HTML.
# Offline, Sphinx cannot fetch the intersphinx inventories of docs.python.org, docs.ansible.com and Jinja: those
# warnings, and the references that only those inventories resolve (Ansible's configuration settings and
# common return values), are listed and tolerated; any other warning fails the build.
set -euo pipefail
collections=$1 output=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 700 "$work"
export ANSIBLE_COLLECTIONS_PATH=$collections
antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$work" pingone.platform >/dev/null
mkdir -p "$work/rst"
chmod og-w "$work/rst"  # antsibull-docs wants that directory only writable by itself
antsibull-docs --config-file "$work/antsibull-docs.cfg" collection --cleanup everything --use-current \
  --fail-on-error --dest-dir "$work/rst" pingone.platform
sphinx-build -M html "$work/rst" "$work/build" -c "$work" -q --keep-going -w "$work/warnings.log" 2>/dev/null || true
offline='failed to reach any of the inventories|intersphinx inventory|undefined label: .(common_return_values|ansible_configuration_settings|action_plugins).|.envvar. reference target not found: ANSIBLE_'
if grep -Eq "$offline" "$work/warnings.log"; then
  echo "docsite: $(grep -c 'failed to reach any of the inventories' "$work/warnings.log" || true) intersphinx inventories" \
       "unreachable (offline): references into the Python, Jinja and Ansible docs are left unlinked"
fi
if grep -Ev "$offline" "$work/warnings.log" | grep -E 'WARNING|ERROR|CRITICAL'; then
  echo "docsite: Sphinx warned (above)"; exit 1
fi
[ -f "$work/build/html/index.html" ] || { echo "docsite: no index.html"; exit 1; }
rm -rf "$output"
mkdir -p "$output"
cp -r "$work/build/html/." "$output/"
echo "docsite built in $output"
