#!/bin/sh
# Enclave's deb post-install script (electron-builder deb.afterInstall, run by dpkg as postinst).
# It first checks every installed file under the prefix against enclave-install.sha256, the
# manifest written into the package at build time (scripts/release/install-manifest.mjs), and
# fails the install loudly on any difference: dpkg then leaves the package half-configured and
# says so. Only then does it put the CLI on the PATH. No network, no data directory touched.
# ENCLAVE_PREFIX and ENCLAVE_BIN_DIR exist for the tests; dpkg runs it with neither set.
# (No braces around plain lower-case names: electron-builder expands those as template macros.)
set -eu

prefix="${ENCLAVE_PREFIX:-/opt/Enclave}"
bindir="${ENCLAVE_BIN_DIR:-/usr/bin}"
manifest="$prefix/enclave-install.sha256"

fail() {
  echo "Enclave install verification FAILED: $1" >&2
  echo "These are not the files Enclave was built with: do not use this installation; reinstall from a verified release kit (docs/release.md)." >&2
  exit 1
}

[ -f "$manifest" ] || fail "$manifest is missing"

# sha256sum prints '<file>: FAILED' (or 'FAILED open or read') for each file that differs.
if ! report=$(cd "$prefix" && sha256sum --quiet --strict -c enclave-install.sha256 2>&1); then
  printf '%s\n' "$report" >&2
  fail "files under $prefix differ from $manifest (listed above)"
fi

# A file the manifest does not list (a planted library, say) fails as well.
listed=$(sed -n 's/^[0-9a-f]\{64\}  //p' "$manifest" | LC_ALL=C sort)
found=$(cd "$prefix" && find . ! -type d ! -path ./enclave-install.sha256 | LC_ALL=C sort)
# Listed twice and found once, a name is unique only when it was found but not listed.
extra=$( (printf '%s\n' "$listed"; printf '%s\n' "$listed"; printf '%s\n' "$found") | LC_ALL=C sort | uniq -u)
if [ -n "$extra" ]; then
  printf '%s\n' "$extra" | while IFS= read -r name; do echo "$name: not in the manifest" >&2; done
  fail "files under $prefix are not listed in $manifest (listed above)"
fi
echo "Enclave: $(wc -l < "$manifest" | tr -d ' ') installed files match $manifest"

# The CLI on the PATH: a link to the wrapper beside the app's binary (docs/cli.md).
mkdir -p "$bindir"
ln -sfn "$prefix/enclave" "$bindir/enclave"

# Chromium's sandbox: user namespaces where the kernel allows them, else the setuid helper
# (as electron-builder's own after-install does).
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$prefix/chrome-sandbox" || true
else
  chmod 4755 "$prefix/chrome-sandbox" || true
fi

if command -v update-desktop-database > /dev/null 2>&1 && [ -z "${ENCLAVE_PREFIX:-}" ]; then
  update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24+ restricts unprivileged user namespaces to profiled programs.
if [ -z "${ENCLAVE_PREFIX:-}" ] && apparmor_status --enabled > /dev/null 2>&1; then
  if apparmor_parser --skip-kernel-load --debug "$prefix/resources/apparmor-profile" > /dev/null 2>&1; then
    cp -f "$prefix/resources/apparmor-profile" /etc/apparmor.d/enclave-app
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --replace --write-cache --skip-read-cache /etc/apparmor.d/enclave-app || true
    fi
  fi
fi
exit 0
