#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine:
#   ./run.sh pdf    install what is missing, then build every language of cv.yaml into build/
#   ./run.sh test   install what is missing, then run the whole test suite
#   ./run.sh setup  only install
# Running it again installs nothing that is already there (and needs no network then).
set -euo pipefail
cd "$(dirname "$0")"

# TeX Live and poppler from Debian packages. Recommends are off, so everything the
# build needs is named: fonts-paratype (PT Serif and Sans, Cyrillic) and
# texlive-fonts-recommended (base fonts hyperref asks for) included; texlive-pictures
# holds the twemojis artwork that emoji are drawn from (texlive-latex-extra needs it too).
# fonts-dejavu-core has the code font (DejaVu Sans Mono) and the fallback for
# characters PT fonts lack (symbols, arrows, some emoji); fontconfig (fc-list) tells
# which font has which character.
APT_PACKAGES=(
  texlive-xetex texlive-latex-recommended texlive-latex-extra texlive-lang-cyrillic
  texlive-fonts-recommended texlive-pictures fonts-paratype lmodern poppler-utils
  fonts-dejavu-core fontconfig
)
VENV=${VENV:-.venv}
APT_UPDATED=""

say() { echo "run.sh: $*" >&2; }

apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "need root or sudo to install: $*"; exit 1; }
    sudo=sudo
  fi
  say "installing: $*"
  if [ -z "$APT_UPDATED" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  # env, not a prefix assignment: sudo drops the caller's environment (tzdata would ask)
  $sudo env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# A Python ≥ 3.11 with venv and ensurepip (Debian splits those into python3-venv).
find_python() {
  local py
  for py in python3 python3.13 python3.12 python3.11; do
    if command -v "$py" >/dev/null && "$py" -c \
      'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

install_system() {
  if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
    local tool
    for tool in xelatex pdftotext pdffonts pdfinfo; do
      command -v "$tool" >/dev/null && continue
      say "$tool is missing and this is not Debian/Ubuntu; see docs/other-systems.md"
      exit 1
    done
    return 0
  fi
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$pkg")
  done
  if ! find_python >/dev/null; then
    if command -v python3 >/dev/null && python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      missing+=(python3-venv)  # the right Python, without venv/ensurepip
    else
      missing+=(python3 python3-venv)
    fi
  fi
  if ((${#missing[@]})); then
    apt_install "${missing[@]}"
  fi
  # Ubuntu 22.04's python3 is 3.10; its archive has python3.11 beside it.
  find_python >/dev/null || apt_install python3.11 python3.11-venv
}

setup() {
  install_system
  local py
  py=$(find_python) || { say "no Python 3.11 or newer with venv could be installed"; exit 1; }
  if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    "$py" -m venv --clear "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    rm -f "$VENV/.installed-pyproject.toml"
  fi
  # Reinstall only when the project's metadata changed since the last install.
  if ! cmp -s pyproject.toml "$VENV/.installed-pyproject.toml" || [ ! -x "$VENV/bin/cvbuild" ]; then
    "$VENV/bin/python" -m pip install -q -e ".[test]"
    cp pyproject.toml "$VENV/.installed-pyproject.toml"
  fi
}

case "${1:-}" in
  setup) setup ;;
  pdf) setup; shift; "$VENV/bin/cvbuild" pdf --lang all "$@" ;;
  test) setup; shift; "$VENV/bin/python" -m pytest "$@" ;;
  *) echo "usage: ./run.sh pdf|test|setup" >&2; exit 2 ;;
esac
