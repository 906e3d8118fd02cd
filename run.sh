#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine:
#   ./run.sh pdf    install what is missing, then build every language of cv.yaml into build/
#   ./run.sh test   install what is missing, then run the whole test suite
#   ./run.sh setup  only install
set -euo pipefail
cd "$(dirname "$0")"

# TeX Live and poppler from Debian packages. Recommends are off, so everything the
# build needs is named: fonts-paratype (PT Serif/Sans/Mono, Cyrillic) and
# texlive-fonts-recommended (base fonts hyperref asks for) included.
APT_PACKAGES=(
  texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-lang-cyrillic
  texlive-fonts-recommended fonts-paratype lmodern poppler-utils
)
VENV=${VENV:-.venv}

setup() {
  local missing=()
  if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    missing+=(python3 python3-venv python3-pip)
  fi
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "installing: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e ".[test]"
}

case "${1:-}" in
  setup) setup ;;
  pdf) setup; shift; "$VENV/bin/cvbuild" pdf --lang all "$@" ;;
  test) setup; shift; "$VENV/bin/python" -m pytest "$@" ;;
  *) echo "usage: ./run.sh pdf|test|setup" >&2; exit 2 ;;
esac
