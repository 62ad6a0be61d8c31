# Sourced by scripts/run, scripts/test and scripts/check: create .venv and install hanport into it.
# Re-installs only when pyproject.toml changes (or the extras asked for change).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EXTRAS="${1:-}"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "hanport needs Python 3.11 or newer; set PYTHON=/path/to/python3.11 and try again." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv ..." >&2
    "$PY" -m venv .venv
fi
STAMP=".venv/.hanport-installed"
HASH="$(sha256sum pyproject.toml | cut -d' ' -f1)"
installed_ok() {
    # up to date when pyproject.toml is unchanged and every extra asked for is already installed
    [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$HASH" ] || return 1
    local extra
    for extra in ${EXTRAS//,/ }; do
        grep -qxF "$extra" "$STAMP" || return 1
    done
}
pip_quietly() {
    # this machine's pip configuration names local mirrors that may be absent; drop that noise
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" 2>&1 \
        | { grep -v "^WARNING: Location .* is ignored" || true; } >&2
}
if ! installed_ok; then
    WANT="$EXTRAS"
    if [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$HASH" ]; then
        WANT="$(tail -n +2 "$STAMP" | paste -sd, -)${WANT:+,$WANT}"
        WANT="${WANT#,}"
    fi
    echo "Installing hanport${WANT:+ with [$WANT]} into .venv ..." >&2
    pip_quietly --upgrade pip
    pip_quietly -e ".${WANT:+[$WANT]}"
    { echo "$HASH"; printf '%s\n' ${WANT//,/ }; } > "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
source "$ROOT/scripts/_web_assets.sh"
