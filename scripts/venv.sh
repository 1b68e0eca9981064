# Sourced by the scripts: make .venv with Python 3.11+ and install into it from a lockfile
# (exact versions, every file's hash checked), once, and again whenever pyproject.toml or the
# lockfile changes. A .venv left half-built (for example by a missing python3-venv) is rebuilt.
# With `uv` on PATH it is used (much faster); otherwise the standard venv and pip.
#   PAMOJA_LOCK=requirements.lock PAMOJA_EDITABLE=0  what scripts/install uses: runtime only
PYTHON="${PYTHON:-python3}"
PAMOJA_LOCK="${PAMOJA_LOCK:-requirements-dev.lock}"
PAMOJA_EDITABLE="${PAMOJA_EDITABLE:-1}"
UV="${UV:-$(command -v uv || true)}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Pamoja needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
    exit 1
fi
if [ -z "$UV" ] && ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
    pyver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    echo "$PYTHON cannot make virtual environments: install the OS package python${pyver}-venv" \
         "(Debian/Ubuntu: sudo apt-get install python${pyver}-venv)." >&2
    exit 1
fi
if [ -e .venv ]; then
    if ! .venv/bin/python -c 'import sys' >/dev/null 2>&1 \
        || { ! grep -q '^uv = ' .venv/pyvenv.cfg 2>/dev/null \
             && ! .venv/bin/python -c 'import pip' >/dev/null 2>&1; }; then
        echo "venv: .venv is broken or half-built (no working python or pip): rebuilding it" >&2
        rm -rf .venv
    fi
fi
if [ ! -x .venv/bin/python ]; then
    if [ -n "$UV" ]; then
        made=("$UV" venv --quiet --python "$PYTHON" .venv)
    else
        made=("$PYTHON" -m venv .venv)
    fi
    if ! "${made[@]}"; then
        rm -rf .venv
        echo "venv: could not create .venv with $PYTHON (see above); nothing left behind" >&2
        exit 1
    fi
fi
stamp=.venv/.pamoja-installed
want="$PAMOJA_LOCK editable=$PAMOJA_EDITABLE $(cat pyproject.toml "$PAMOJA_LOCK" | cksum)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    rm -f "$stamp"
    if [ "$PAMOJA_EDITABLE" = 1 ]; then self=(-e .); else self=(.); fi
    if grep -q '^uv = ' .venv/pyvenv.cfg 2>/dev/null && [ -n "$UV" ]; then
        "$UV" pip sync --quiet --require-hashes --python .venv/bin/python "$PAMOJA_LOCK"
        "$UV" pip install --quiet --no-deps --python .venv/bin/python "${self[@]}"
    else
        .venv/bin/python -m pip install --quiet --require-hashes --no-deps -r "$PAMOJA_LOCK"
        .venv/bin/python -m pip install --quiet --no-deps "${self[@]}"
    fi
    echo "$want" > "$stamp"
fi
