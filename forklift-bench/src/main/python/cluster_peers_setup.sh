#!/usr/bin/env bash
# Sets up the Python peers of `./forklift bench cluster` (Ray, Celery on Redis) in a virtualenv of the bench's own:
#   bash cluster_peers_setup.sh [VENV]      (default: ~/.cache/forklift-bench/peers-venv)
# Redis and two small Celery dependencies that the package index may lack (click-didyoumean, click-repl) come from
# Debian's packages (apt-get, as root, or with sudo when there is one); Ray, Celery and redis-py from the package
# index pip is configured with, pinned to the versions of ../shared/reference/cluster-peers.md. Never run by
# `mvn verify`. Idempotent: what is there already is kept.
set -euo pipefail
VENV="${1:-${FORKLIFT_PEERS_VENV:-$HOME/.cache/forklift-bench/peers-venv}}"
PY="${FORKLIFT_PYTHON:-python3}"
PIP_OPTS=(-q --retries 0 --timeout 15 --disable-pip-version-check)

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
        echo "need root for: $*" >&2; return 1; fi
}

DEBS=()
command -v redis-server >/dev/null || DEBS+=(redis-server)
[ -d /usr/lib/python3/dist-packages/click_didyoumean ] || DEBS+=(python3-click-didyoumean)
[ -d /usr/lib/python3/dist-packages/click_repl ] || DEBS+=(python3-click-repl)
if [ ${#DEBS[@]} -gt 0 ]; then
    echo "installing from Debian: ${DEBS[*]}"
    as_root apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${DEBS[@]}" >/dev/null
fi

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
if ! "$VENV/bin/python" -c 'import ray, redis' 2>/dev/null; then
    echo "installing ray 2.58.0 and redis-py 8.1.0 into $VENV"
    "$VENV/bin/pip" install "${PIP_OPTS[@]}" ray==2.58.0 redis==8.1.0
fi
if ! "$VENV/bin/python" -c 'import celery.bin.celery' 2>/dev/null; then
    echo "installing celery 5.6.3 into $VENV"
    # Celery with every dependency but click-didyoumean and click-repl, which may be missing from the index
    if ! "$VENV/bin/pip" install "${PIP_OPTS[@]}" celery==5.6.3 2>/dev/null; then
        "$VENV/bin/pip" install "${PIP_OPTS[@]}" 'kombu>=5.6.0' 'billiard>=4.2.1,<5' 'vine>=5.1,<6' 'click>=8.1.2,<9' \
            'click-plugins>=1.1.1' 'python-dateutil>=2.8.2' tzlocal
        "$VENV/bin/pip" install "${PIP_OPTS[@]}" --no-deps celery==5.6.3
        SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
        for module in click_didyoumean click_repl prompt_toolkit wcwidth; do
            if ! "$VENV/bin/python" -c "import $module" 2>/dev/null; then
                ln -sfn "/usr/lib/python3/dist-packages/$module" "$SITE/$module"
            fi
        done
    fi
fi
"$VENV/bin/python" -c 'import ray, celery, redis, celery.bin.celery; print("peers ready: ray", ray.__version__, "celery", celery.__version__, "redis-py", redis.__version__)'
