# Sourced by _bootstrap.sh: fetch the app's third-party browser code (uPlot) from the npm
# registry, pinned by web/package-lock.json (integrity-checked), into hanport/web/static/vendor/.
# It is never committed; wheels built with hatch include it (see pyproject.toml).
VENDOR="$ROOT/hanport/web/static/vendor"
if [ ! -f "$VENDOR/uPlot.iife.min.js" ] || [ ! -f "$VENDOR/uPlot.min.css" ] \
    || [ "$ROOT/web/package-lock.json" -nt "$VENDOR/uPlot.iife.min.js" ]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "The app's charts need uPlot from the npm registry, and npm is missing; install" \
            "Node.js (apt-get install npm) and run this again." >&2
        exit 1
    fi
    echo "Fetching the app's chart library (uPlot, pinned in web/package-lock.json) ..." >&2
    npm ci --prefix "$ROOT/web" --ignore-scripts --no-audit --no-fund --loglevel=error \
        2>&1 | { grep -v "Unknown user config" || true; } >&2
    mkdir -p "$VENDOR"
    cp "$ROOT/web/node_modules/uplot/dist/uPlot.iife.min.js" \
        "$ROOT/web/node_modules/uplot/dist/uPlot.min.css" "$ROOT/web/node_modules/uplot/LICENSE" \
        "$VENDOR/"
fi
