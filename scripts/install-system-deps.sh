#!/usr/bin/env bash
# Debian packages the tests use: Chromium for the UI tests, Xvfb for a real window, Jupyter's own
# client, nbclient and nbconvert to prove kernel compatibility, ipykernel as the benchmark's
# reference, and the AWS CLI to read backups as plain S3.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v Xvfb >/dev/null || need+=(xvfb)
# Asked of dpkg, not PATH: the tests run Debian's /usr/bin/aws, and a pip-installed aws on PATH
# (a pyenv shim, say) is a different program.
for pkg in awscli jupyter-client python3-nbclient python3-nbformat jupyter-nbconvert python3-ipykernel python3-jsonschema; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
