#!/usr/bin/env bash
# System packages kg needs beyond Python: a CJK font for `kg viz` figures (fonts-noto-cjk), a
# headless browser for the HTML check (chromium) and its WebDriver for the browser tests (chromium-driver), and Virtuoso for the SPARQL-server tests
# (virtuoso-opensource-7-bin: only virtuoso-t and isql-vt, no service, no debconf prompt; the
# virtuoso-opensource metapackage would start a system service). Installs only what is missing,
# only as root; safe to run repeatedly.
set -euo pipefail

packages=(fonts-noto-cjk chromium chromium-driver virtuoso-opensource-7-bin)
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_system_deps: missing ${missing[*]}; install them as root with apt-get" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
