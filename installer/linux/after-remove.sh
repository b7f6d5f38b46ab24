#!/bin/sh
# Enclave's deb post-remove script (electron-builder deb.afterRemove, run by dpkg as postrm with
# remove, purge, upgrade, ...). It takes the CLI off the PATH and the AppArmor profile out. It never
# deletes data, not even on purge: each user's data directory ($XDG_DATA_HOME/enclave, else
# ~/.local/share/enclave, or ENCLAVE_DATA_DIR) holds the encrypted store and the audit log, which
# the site's records rules govern, not the package manager. An administrator deletes them by hand.
# ENCLAVE_PREFIX and ENCLAVE_BIN_DIR exist for the tests; dpkg runs it with neither set.
# (No braces around plain lower-case names: electron-builder expands those as template macros.)
set -eu

prefix="${ENCLAVE_PREFIX:-/opt/Enclave}"
bindir="${ENCLAVE_BIN_DIR:-/usr/bin}"
action="${1:-remove}"

case "$action" in
  # The new version's after-install links the CLI again; nothing to undo here.
  upgrade | failed-upgrade | abort-upgrade) exit 0 ;;
esac

# Only our own link: a site's own /usr/bin/enclave is left alone.
if [ -L "$bindir/enclave" ] && [ "$(readlink "$bindir/enclave")" = "$prefix/enclave" ]; then
  rm -f "$bindir/enclave"
fi

if [ -z "${ENCLAVE_PREFIX:-}" ] && [ -f /etc/apparmor.d/enclave-app ]; then
  if apparmor_status --enabled > /dev/null 2>&1 && command -v apparmor_parser > /dev/null 2>&1; then
    apparmor_parser --remove /etc/apparmor.d/enclave-app || true
  fi
  rm -f /etc/apparmor.d/enclave-app
fi

if [ "$action" = remove ] || [ "$action" = purge ]; then
  echo "Enclave was removed ($action). Its data was kept: each user's data directory (\$XDG_DATA_HOME/enclave, else ~/.local/share/enclave, or the folder ENCLAVE_DATA_DIR names) and any install root (ENCLAVE_INSTALL_ROOT, /var/lib/enclave) are untouched; delete them by hand when the site's records rules allow."
fi
exit 0
