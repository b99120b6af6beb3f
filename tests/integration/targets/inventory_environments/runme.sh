#!/usr/bin/env bash
# The pingone.platform.environments inventory plugin against the emulator: hosts, variables, default and
# constructed groups, paging, filters, cache, errors, no secret in the output, and a playbook on its hosts.
# No xtrace: it would print the client secret this script checks for.
set -eu
step() { echo "=== $*"; }
# An inventory source that cannot be parsed fails the command instead of leaving an empty inventory.
export ANSIBLE_INVENTORY_UNPARSED_FAILED=true
helper() { python emulator_inventory.py "$@"; }
# Whether a command's output says something: ansible-core before 2.19 wraps warnings at the terminal width.
says() { tr -s ' \n' ' ' <"$2" | grep -Eq -- "$1"; }
work="${OUTPUT_DIR}/inventory_environments"
rm -rf "$work" && mkdir -p "$work/ran" "$work/cache"
secret=$(helper print-secret)
[ -n "$secret" ]

# Back to the seeded environments (and again at the end), plus one being deleted; two environments per page.
helper reset
trap 'helper reset' EXIT
helper add-retired
helper config '{"page_size": 2}'

step "Every environment, with the user's keyed group, group and composed variable."
helper write-config "$work/pingone.yml" full
ansible-inventory -i "$work/pingone.yml" --list >"$work/full.json"
helper check-list "$work/full.json"
helper check-paging

step "A playbook on the sandbox hosts."
ansible-playbook -i "$work/pingone.yml" -e @../../integration_config.yml -e "ran_dir=$work/ran" playbook.yml
helper check-ran "$work/ran"

step "The module's filters, hosts named by id, the secret from the environment variable."
helper write-config "$work/eu_pingone_environments.yml" filtered
PINGONE_CLIENT_SECRET=$secret ansible-inventory -i "$work/eu_pingone_environments.yml" --list >"$work/filtered.json"
helper check-filtered "$work/filtered.json"

step "Jinja2 filters on the host variables."
helper write-config "$work/conditions_pingone.yml" conditions
ansible-inventory -i "$work/conditions_pingone.yml" --list >"$work/conditions.json"
helper check-conditions "$work/conditions.json"

step "The cache: the second run asks the API nothing; --flush-cache asks again."
helper write-config "$work/cached.pingone.yaml" cached "$work/cache"
ansible-inventory -i "$work/cached.pingone.yaml" --list >"$work/cached1.json"
lists_after_first=$(helper log-count)
ansible-inventory -i "$work/cached.pingone.yaml" --list >"$work/cached2.json"
[ "$(helper log-count)" -eq "$lists_after_first" ] || { echo "the cached run listed environments again"; exit 1; }
cmp "$work/cached1.json" "$work/cached2.json"
helper check-list "$work/cached2.json"
[ -n "$(find "$work/cache" -type f)" ] || { echo "nothing was cached"; exit 1; }
if grep -rqF -- "$secret" "$work/cache"; then echo "the client secret is in the cache"; exit 1; fi
if ansible-inventory --help | grep -q -- --flush-cache; then
  ansible-inventory -i "$work/cached.pingone.yaml" --list --flush-cache >/dev/null
else  # ansible-inventory has --flush-cache from ansible-core 2.19; ansible-playbook has always had it
  ansible-playbook -i "$work/cached.pingone.yaml" --flush-cache -e @../../integration_config.yml noop.yml >/dev/null
fi
[ "$(helper log-count)" -gt "$lists_after_first" ] || { echo "--flush-cache did not list environments again"; exit 1; }

step "Errors: named, before any request for bad input; the secret never echoed."
lists_before=$(helper log-count)
helper write-config "$work/bad.pingone.yml" no_client_id
if ansible-inventory -i "$work/bad.pingone.yml" --list >"$work/bad.out" 2>&1; then echo "a config without client_id was accepted"; exit 1; fi
says 'missing connection option\(s\) client_id' "$work/bad.out"
helper write-config "$work/type.pingone.yml" unknown_type
if ansible-inventory -i "$work/type.pingone.yml" --list >"$work/type.out" 2>&1; then echo "an unknown type was accepted"; exit 1; fi
# ansible-core 2.19 words it "Invalid value [...] for config 'types'", earlier versions "... for configuration option".
says "Invalid value .*'STAGING'.* for config(uration option)? .*types" "$work/type.out"
[ "$(helper log-count)" -eq "$lists_before" ] || { echo "bad input sent a request"; exit 1; }
helper write-config "$work/wrong.pingone.yml" wrong_secret
if ansible-inventory -i "$work/wrong.pingone.yml" --list -vvv >"$work/wrong.out" 2>&1; then echo "a wrong secret was accepted"; exit 1; fi
says 'PingOne API answered 401' "$work/wrong.out"
if grep -qF 'wrong-Inventory-Secret-3' "$work/wrong.out"; then echo "the wrong secret is echoed"; exit 1; fi

step "Token endpoint auth: a Post-only worker app; auto is refused Basic, gets Post, and keeps it with the cached token."
helper config '{"token_auth_method": "post"}'
since=$(helper log-seq)
HOME="$work/home_post_only" ansible-inventory -i "$work/pingone.yml" --list >"$work/post_only.json"
helper check-list "$work/post_only.json"
auths=$(helper token-auths "$since")
[ "$auths" = "basic:401 post:200" ] || { echo "token requests against a Post-only app: $auths"; exit 1; }
since=$(helper log-seq)
HOME="$work/home_post_only" ansible-inventory -i "$work/pingone.yml" --list >/dev/null
auths=$(helper token-auths "$since")
[ -z "$auths" ] || { echo "the second run asked for a token again: $auths"; exit 1; }

step "A Basic-only worker app: auto needs one token request; an explicit client_secret_post is refused, naming it."
helper config '{"token_auth_method": "basic"}'
since=$(helper log-seq)
HOME="$work/home_basic_only" ansible-inventory -i "$work/pingone.yml" --list >"$work/basic_only.json"
helper check-list "$work/basic_only.json"
auths=$(helper token-auths "$since")
[ "$auths" = "basic:200" ] || { echo "token requests against a Basic-only app: $auths"; exit 1; }
helper write-config "$work/post.pingone.yml" explicit_post
since=$(helper log-seq)
if ansible-inventory -i "$work/post.pingone.yml" --list -vvv >"$work/post.out" 2>&1; then echo "client_secret_post was accepted by a Basic-only app"; exit 1; fi
says 'with client_secret_post failed: Request denied: Unsupported authentication method' "$work/post.out"
auths=$(helper token-auths "$since")
[ "$auths" = "post:401" ] || { echo "token requests of an explicit client_secret_post: $auths"; exit 1; }

step "A paging loop (a next link already followed) fails the inventory instead of listing forever."
helper config '{"loop_next_link": true}'
if ansible-inventory -i "$work/pingone.yml" --list >"$work/loop.out" 2>&1; then echo "a looping next link was accepted"; exit 1; fi
says 'a second time \(a loop\)' "$work/loop.out"
helper config '{"loop_next_link": false}'

if grep -rqF -- "$secret" "$work"/*.json "$work"/*.out; then echo "the client secret is in the output"; exit 1; fi

