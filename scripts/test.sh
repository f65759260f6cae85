#!/usr/bin/env bash
# Install everything the tests need (each step skipped when already done), then run
# pytest with the given arguments, e.g. ./scripts/test.sh -k scorm12 -x
#
#   1. the project, editable, with its test extras (python -m pip install -e '.[test]')
#   2. Debian's chromium (/usr/bin/chromium), driven by Playwright; never `playwright install`
#   3. the npm packages of the browser and xAPI tests (tests/js, npm ci)
#   4. the ralph LRS in its own virtual environment (.venv-ralph): its pins (click,
#      fastapi) must not hold back the project's dependencies
#
# Works as root (CI, apt-get) or as a user who already has chromium.
# Set EFOP_TEST_NO_INSTALL=1 to skip every install step.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python}
STAMPS=$ROOT/.cache/test-stamps
RALPH_SPEC=("ralph-malph[cli,lrs]==5.1.0" "requests>=2.31")

log() { printf '[test.sh] %s\n' "$*" >&2; }

# run a noisy install command; show its output only if it fails
quiet() {
  local out rc=0
  out=$(mktemp)
  "$@" >"$out" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    cat "$out" >&2
    log "failed ($rc): $*"
  fi
  rm -f "$out"
  return "$rc"
}

sha() { sha256sum "$@" | sha256sum | cut -c1-16; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    quiet as_root apt-get update
    APT_UPDATED=1
  fi
  quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

install_python_deps() {
  local want have=""
  want="$(sha pyproject.toml) $("$PYTHON" -c 'import sys; print(sys.executable)')"
  [ -f "$STAMPS/pip" ] && have=$(cat "$STAMPS/pip")
  if [ "$want" = "$have" ] && "$PYTHON" - <<'EOF' 2>/dev/null; then
import pathlib, sys
import efop_author, pytest, hypothesis, playwright, tincan  # noqa: F401
root = pathlib.Path.cwd().resolve()
sys.exit(0 if root in pathlib.Path(efop_author.__file__).resolve().parents else 1)
EOF
    return
  fi
  log "installing the project and its test requirements (pip install -e '.[test]')"
  quiet "$PYTHON" -m pip install --disable-pip-version-check --root-user-action=ignore -e '.[test]'
  mkdir -p "$STAMPS" && echo "$want" >"$STAMPS/pip"
}

install_chromium() {
  [ -x /usr/bin/chromium ] && return
  log "installing Debian's chromium"
  apt_install chromium
}

install_npm_deps() {
  if ! command -v npm >/dev/null; then
    log "installing node and npm"
    apt_install nodejs npm
  fi
  local want have=""
  want=$(sha tests/js/package.json tests/js/package-lock.json)
  [ -f tests/js/node_modules/.efop-stamp ] && have=$(cat tests/js/node_modules/.efop-stamp)
  [ "$want" = "$have" ] && return
  log "installing the npm test packages (tests/js, npm ci)"
  (cd tests/js && quiet npm ci --no-audit --no-fund)
  echo "$want" >tests/js/node_modules/.efop-stamp
}

install_ralph() {
  local want have="" venv=$ROOT/.venv-ralph
  want="${RALPH_SPEC[*]}"
  [ -f "$venv/.efop-stamp" ] && have=$(cat "$venv/.efop-stamp")
  if [ "$want" = "$have" ] && "$venv/bin/python" -c 'import ralph.backends.lrs.fs, fastapi, uvicorn, bcrypt' 2>/dev/null; then
    return
  fi
  log "installing the ralph LRS in .venv-ralph"
  rm -rf "$venv"
  "$PYTHON" -m venv "$venv"
  quiet "$venv/bin/python" -m pip install --disable-pip-version-check --root-user-action=ignore "${RALPH_SPEC[@]}"
  "$venv/bin/python" -c 'import ralph.backends.lrs.fs, fastapi, uvicorn, bcrypt'
  echo "$want" >"$venv/.efop-stamp"
}

if [ "${EFOP_TEST_NO_INSTALL:-0}" != 1 ]; then
  start=$SECONDS
  install_python_deps
  install_chromium
  install_npm_deps
  install_ralph
  log "requirements ready ($((SECONDS - start)) s)"
fi

exec "$PYTHON" -m pytest "$@"
