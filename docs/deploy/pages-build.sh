#!/bin/sh
# The build command for hosts that build the site themselves (Netlify, Cloudflare Pages):
# installs batmi unless it is already on PATH, then builds the site into public/.
#
#   Netlify: netlify.toml beside this file (copy both to the root of the site's repository).
#   Cloudflare Pages: build command `sh pages-build.sh`, output directory `public`.
#
# BATMI_VERSION picks the release (default below); BATMI_BASE_URL overrides base_url from
# config.toml, e.g. with the host's preview address.
set -eu

version="${BATMI_VERSION:-0.1.0}"
if ! command -v batmi >/dev/null 2>&1; then
  if ! command -v cargo >/dev/null 2>&1; then
    echo "error: neither batmi nor cargo is on PATH; install Rust (rustup) in the build image first" >&2
    exit 1
  fi
  # Into the folder the host keeps between builds where it has one, so the next build skips this.
  root="${BATMI_INSTALL_ROOT:-$HOME/.cargo}"
  cargo install --locked --profile dist --root "$root" batmi --version "$version"
  PATH="$root/bin:$PATH"
fi

batmi --version
if [ -n "${BATMI_BASE_URL:-}" ]; then
  batmi build --base-url "$BATMI_BASE_URL"
else
  batmi build
fi
