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
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1) [$EXTRAS]"
if [ ! -f "$STAMP" ] || ! grep -qxF "$WANT" "$STAMP"; then
    echo "Installing hanport${EXTRAS:+ with [$EXTRAS]} into .venv ..." >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${EXTRAS:+[$EXTRAS]}" >&2
    printf '%s\n' "$WANT" > "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
