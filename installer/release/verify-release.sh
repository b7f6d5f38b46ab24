#!/bin/sh
# verify-release.sh: checks a signed Enclave release kit at the receiving site (docs/release.md,
# "Verifying a kit"). Only openssl, sha256sum and POSIX utilities: it runs on the air-gapped machine
# before anything from the kit is installed or executed.
#
#   sh verify-release.sh --ca <release-ca.pem> [--crl <file> | --no-crl] [--kit <dir>]
#
# The kit is the folder this script sits in unless --kit names another. The CRL is release-ca.crl in
# the kit unless --crl names one; it holds the CRLs of the release CA and of every intermediate.
# Prints one line per check ("ok    ..." or "FAIL  <check>: <file>: <reason>"), then "verified: ..."
# and exits 0, or "FAILED: n checks" and exits 1. Exit 2: bad arguments or a tool missing.
set -u
LC_ALL=C
export LC_ALL
umask 077

MAX_SUMS_BYTES=1048576 # SHA256SUMS, SHA384SUMS, SHA256SUMS.cms, the CA and CRL files
MAX_FILES=20000        # files in the kit

usage() {
  echo 'usage: sh verify-release.sh --ca <release-ca.pem> [--crl <file> | --no-crl] [--kit <dir>]' >&2
  exit 2
}

ca='' crl='' kit='' no_crl=''
while [ $# -gt 0 ]; do
  case $1 in
    --ca) [ $# -ge 2 ] || usage; ca=$2; shift 2 ;;
    --crl) [ $# -ge 2 ] || usage; crl=$2; shift 2 ;;
    --kit) [ $# -ge 2 ] || usage; kit=$2; shift 2 ;;
    --no-crl) no_crl=1; shift ;;
    -h | --help) usage ;;
    *) echo "verify-release.sh: unknown argument: $1" >&2; usage ;;
  esac
done
[ -n "$ca" ] || usage
[ -n "$crl" ] && [ -n "$no_crl" ] && usage

failures=0
ok() { printf 'ok    %s\n' "$1"; }
fail() { printf 'FAIL  %s\n' "$1"; failures=$((failures + 1)); }
# Names and subjects come from the kit: only printable ASCII reaches the terminal.
clean() { printf '%s' "$1" | tr -c '[:print:]' '?' | cut -c1-300; }

# Absolute paths of the inputs, taken before moving into the kit.
absolute() {
  case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd)" "$1" ;;
  esac
}
ca=$(absolute "$ca")
[ -n "$crl" ] && crl=$(absolute "$crl")
if [ -z "$kit" ]; then
  case $0 in
    */*) kit=${0%/*} ;;
    *) kit=. ;;
  esac
fi
cd "$kit" 2>/dev/null || { echo "verify-release.sh: cannot enter the kit folder $(clean "$kit")" >&2; exit 2; }

tmp=$(mktemp -d) || { echo 'verify-release.sh: mktemp -d failed' >&2; exit 2; }
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' HUP INT TERM

# size FILE: its size in bytes when it is a regular file, not a link; empty otherwise.
size() {
  [ -f "$1" ] && [ ! -L "$1" ] || return 1
  wc -c <"$1" | tr -d ' '
}
# bounded FILE: a regular file of at most MAX_SUMS_BYTES (in the kit: not a link).
bounded() {
  n=$(size "$1") || return 1
  [ "$n" -le "$MAX_SUMS_BYTES" ]
}
# given FILE: the site's own CA or CRL file, which may be reached through a link; at most MAX_SUMS_BYTES.
given() {
  [ -f "$1" ] && [ -r "$1" ] && [ "$(wc -c <"$1" | tr -d ' ')" -le "$MAX_SUMS_BYTES" ]
}

# --- tools
if ! command -v openssl >/dev/null 2>&1 || ! command -v sha256sum >/dev/null 2>&1; then
  fail 'tools: openssl and sha256sum are both needed; one is missing'
  echo 'FAILED: 1 checks'
  exit 2
fi
sha256sum_version=$(sha256sum --version 2>/dev/null | head -n 1)
ok "tools: $(clean "$(openssl version | cut -d' ' -f1-2)"), $(clean "${sha256sum_version:-sha256sum}")"

# --- the release CA: the one certificate the site trusts, given by the site, not from the kit
# Every openssl call that trusts anything gets $trust_ca (the one certificate, as openssl rewrote it)
# and -no-CApath -no-CAstore: the machine's default store (/etc/ssl/certs, SSL_CERT_DIR) is not trusted.
ca_name=$(clean "${ca##*/}")
trust_ca="$tmp/release-ca.pem"
: >"$trust_ca"
ca_ok=''
# tokens LINE-OF-OPENSSL-TEXT: its comma-separated values one a line, without the indentation.
tokens() { printf '%s\n' "$1" | sed 's/^ *//' | awk '{ n = split($0, t, ", "); for (i = 1; i <= n; i++) print t[i] }'; }
if ! given "$ca"; then
  fail "release CA: $ca_name: not a readable file of at most $MAX_SUMS_BYTES bytes"
elif [ "$(grep -c '^-----BEGIN ' "$ca")" != 1 ] || [ "$(grep -c '^-----BEGIN CERTIFICATE-----$' "$ca")" != 1 ]; then
  # Every PEM block in the file (X509 CERTIFICATE, TRUSTED CERTIFICATE too) would be trusted:
  # exactly the one certificate whose fingerprint is shown.
  fail "release CA: $ca_name: must hold exactly one certificate"
elif ! openssl x509 -in "$ca" -out "$trust_ca" 2>/dev/null ||
  ! tokens "$(openssl x509 -in "$trust_ca" -noout -ext basicConstraints 2>/dev/null | sed -n 2p)" | grep -qx 'CA:TRUE'; then
  : >"$trust_ca"
  fail "release CA: $ca_name: not a PEM CA certificate (basicConstraints CA:TRUE)"
else
  ca_ok=1
  ca_subject=$(openssl x509 -in "$trust_ca" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
  ca_fp=$(openssl x509 -in "$trust_ca" -outform DER | sha256sum | cut -c1-64)
  ok "release CA: $(clean "$ca_subject") sha256 $ca_fp"
fi

# --- the certificates carried in the signature (untrusted until the certificate check)
carried="$tmp/carried.pem"
if bounded SHA256SUMS.cms; then
  openssl pkcs7 -inform DER -in SHA256SUMS.cms -print_certs -out "$carried" 2>/dev/null || : >"$carried"
else
  : >"$carried"
fi

# --- the CRL(s): each signed by the release CA or by a CA carried in the signature, and current
now=$(date -u +%Y%m%d%H%M%S)
# stamp "Jan  3 05:00:00 2027 GMT" -> 20270103050000
stamp() {
  printf '%s\n' "$1" | awk '{
    m = index("JanFebMarAprMayJunJulAugSepOctNovDec", $1); if (m == 0 || $5 != "GMT") { print ""; exit }
    split($3, t, ":"); printf "%04d%02d%02d%02d%02d%02d\n", $4, (m + 2) / 3, $2, t[1], t[2], t[3] }'
}
if [ -z "$crl" ] && [ -z "$no_crl" ] && [ -e release-ca.crl ]; then crl="$(pwd)/release-ca.crl"; fi
crl_ok=''
if [ -n "$no_crl" ]; then
  ok 'CRL: none (--no-crl): revocation NOT checked'
  crl_ok=1
elif [ -z "$crl" ]; then
  fail 'CRL: release-ca.crl: not in the kit and no --crl given (--no-crl verifies without revocation)'
else
  crl_name=$(clean "${crl##*/}")
  if ! given "$crl"; then
    fail "CRL: $crl_name: not a readable file of at most $MAX_SUMS_BYTES bytes"
  else
    awk -v dir="$tmp" '/^-----BEGIN X509 CRL-----$/ { n++; out = dir "/crl." n }
      out != "" { print > out } /^-----END X509 CRL-----$/ { close(out); out = "" }
      END { print n + 0 > (dir "/crl.count") }' "$crl"
    count=$(cat "$tmp/crl.count")
    cat "$trust_ca" "$carried" >"$tmp/issuers.pem" 2>/dev/null
    if [ "$count" -lt 1 ] || [ "$count" -gt 16 ]; then
      fail "CRL: $crl_name: holds $count PEM CRLs (1 to 16 expected)"
    else
      i=1 problems='' summary=''
      while [ "$i" -le "$count" ]; do
        f="$tmp/crl.$i"
        if ! issuer=$(openssl crl -in "$f" -noout -issuer -nameopt RFC2253 2>/dev/null | sed 's/^issuer=//'); then
          problems="CRL $i cannot be read"
          break
        fi
        if ! openssl crl -in "$f" -noout -CAfile "$tmp/issuers.pem" -no-CApath -no-CAstore >/dev/null 2>&1; then
          problems="CRL $i (issuer $(clean "$issuer")) is not signed by the release CA or a CA carried in the signature"
          break
        fi
        next=$(openssl crl -in "$f" -noout -nextupdate | sed 's/^nextUpdate=//')
        last=$(openssl crl -in "$f" -noout -lastupdate | sed 's/^lastUpdate=//')
        next_at=$(stamp "$next") last_at=$(stamp "$last")
        if [ -z "$next_at" ] || [ "$next_at" -lt "$now" ]; then
          problems="the CRL of $(clean "$issuer") has expired (next update was $(clean "$next"))"
          break
        fi
        if [ -z "$last_at" ] || [ "$last_at" -gt "$now" ]; then
          problems="the CRL of $(clean "$issuer") is dated in the future ($(clean "$last")): check this machine's clock"
          break
        fi
        if openssl crl -in "$f" -noout -CAfile "$trust_ca" -no-CApath -no-CAstore >/dev/null 2>&1; then
          by='the release CA'
        else
          by=$(clean "$issuer")
        fi
        summary="$summary${summary:+; }signed by $by, next update $(clean "$next")"
        i=$((i + 1))
      done
      if [ -n "$problems" ]; then fail "CRL: $crl_name: $problems"; else crl_ok=1; ok "CRL: $crl_name $summary"; fi
    fi
  fi
fi

# --- the signature: SHA256SUMS.cms is a detached CMS signature over SHA256SUMS, ECDSA P-384 / SHA-384
signer="$tmp/signer.pem"
sig_ok=''
if ! bounded SHA256SUMS; then
  fail "signature: SHA256SUMS: missing, or not a regular file of at most $MAX_SUMS_BYTES bytes"
elif ! bounded SHA256SUMS.cms; then
  fail "signature: SHA256SUMS.cms: missing, or not a regular file of at most $MAX_SUMS_BYTES bytes"
elif ! openssl cms -cmsout -print -inform DER -in SHA256SUMS.cms -noout >"$tmp/cms.txt" 2>/dev/null; then
  fail 'signature: SHA256SUMS.cms: not a DER CMS structure'
else
  algorithms=$(awk '/^    signerInfos:/ { s = 1 } s && /d\.(issuerAndSerialNumber|subjectKeyIdentifier):/ { n++ }
    s && /digestAlgorithm:/ { w = "d" } s && /signatureAlgorithm:/ { w = "s" }
    s && w != "" && /^ *algorithm:/ { a[w] = $2; w = "" }
    END { printf "%d %s %s\n", n, a["d"], a["s"] }' "$tmp/cms.txt")
  if [ "$algorithms" != '1 sha384 ecdsa-with-SHA384' ]; then
    fail "signature: SHA256SUMS.cms: not one ECDSA SHA-384 signer (found: $(clean "$algorithms"))"
  elif ! openssl cms -verify -binary -inform DER -in SHA256SUMS.cms -content SHA256SUMS -noverify \
    -signer "$signer" -out /dev/null >"$tmp/cms.err" 2>&1; then
    if grep -q 'content verify error' "$tmp/cms.err"; then
      fail 'signature: SHA256SUMS: changed after signing (its digest does not match the signature)'
    else
      why=$(sed -n 's/^[^:]*:error:[^:]*:[^:]*:[^:]*:\([^:]*\):.*/\1/p' "$tmp/cms.err" | tail -n 1)
      fail "signature: SHA256SUMS.cms: does not verify ($(clean "${why:-openssl cms -verify failed}"))"
    fi
  elif [ "$(grep -c 'BEGIN CERTIFICATE' "$signer")" != 1 ]; then
    fail 'signature: SHA256SUMS.cms: more than one signer certificate'
  elif ! openssl x509 -in "$signer" -noout -pubkey 2>/dev/null | openssl pkey -pubin -noout -text_pub 2>/dev/null |
    grep -qx 'ASN1 OID: secp384r1'; then
    fail 'signature: SHA256SUMS.cms: the signer key is not ECDSA P-384'
  else
    sig_ok=1
    signer_subject=$(clean "$(openssl x509 -in "$signer" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')")
    ok "signature: SHA256SUMS.cms over SHA256SUMS by $signer_subject (ECDSA P-384, SHA-384)"
  fi
fi

# --- the signer certificate: codeSigning, a path to the release CA, not revoked (every CA's CRL checked)
if [ -n "$sig_ok" ] && [ -n "$ca_ok" ]; then
  # Extension values compared as whole tokens: "Microsoft Individual Code Signing" is not codeSigning.
  eku=$(openssl x509 -in "$signer" -noout -ext extendedKeyUsage 2>/dev/null | sed -n 2p)
  constraints=$(openssl x509 -in "$signer" -noout -ext basicConstraints 2>/dev/null | sed -n 2p)
  if ! tokens "$eku" | grep -qx 'Code Signing'; then
    fail "certificate: SHA256SUMS.cms: the signer certificate ($signer_subject) does not allow code signing (no codeSigning extended key usage)"
  elif tokens "$constraints" | grep -qx 'CA:TRUE'; then
    fail "certificate: SHA256SUMS.cms: the signer certificate ($signer_subject) is a CA certificate (basicConstraints CA:TRUE), not a signer"
  else
    set -- -CAfile "$trust_ca" -no-CApath -no-CAstore -untrusted "$carried" -purpose any -x509_strict
    [ -n "$crl_ok" ] && [ -z "$no_crl" ] && set -- "$@" -CRLfile "$crl" -crl_check_all
    if [ -n "$crl" ] && [ -z "$crl_ok" ]; then
      fail "certificate: SHA256SUMS.cms: revocation cannot be checked: the CRL failed"
    elif [ -z "$crl_ok" ]; then
      fail 'certificate: SHA256SUMS.cms: revocation cannot be checked: no CRL (give --crl, or --no-crl)'
    elif openssl verify "$@" "$signer" >"$tmp/verify.txt" 2>&1; then
      if [ -n "$no_crl" ]; then ok 'certificate: codeSigning, chains to the release CA (revocation not checked)'
      else ok 'certificate: codeSigning, chains to the release CA, not revoked'; fi
    else
      reason=$(sed -n 's/^error [0-9]* at \([0-9]*\) depth lookup: \(.*\)$/\2 (depth \1)/p' "$tmp/verify.txt" | tail -n 1)
      case $reason in
        *CRL*) file=$(clean "${crl##*/}") ;;
        'certificate revoked (depth 0)') file=SHA256SUMS.cms reason="the signer certificate ($signer_subject) is revoked by $(clean "${crl##*/}")" ;;
        'certificate revoked'*) file=SHA256SUMS.cms reason="a CA certificate in the signature is revoked by $(clean "${crl##*/}")" ;;
        *) file=SHA256SUMS.cms ;;
      esac
      fail "certificate: $file: $(clean "${reason:-does not verify}")"
    fi
  fi
elif [ -z "$ca_ok" ]; then
  fail "certificate: $ca_name: no release CA to check the signer against"
else
  fail 'certificate: SHA256SUMS.cms: not checked (the signature failed)'
fi

# unterminated FILE: says so when FILE is empty or its last line has no newline (a `while read`
# loop would skip that line, and what it does not read it cannot check).
unterminated() {
  if [ ! -s "$1" ]; then echo 'it is empty'
  elif [ "$(tail -c 1 "$1" | wc -l | tr -d ' ')" != 1 ]; then echo 'the last line does not end with a newline'; fi
}

# --- checksums: every file SHA256SUMS lists is present and matches; the paths are safe
listed="$tmp/listed"
: >"$listed"
: >"$tmp/entries"
if bounded SHA256SUMS; then
  awk -v out="$tmp/entries" '
    # No interval expressions: some awks (mawk) lack them.
    !(length($0) > 66 && substr($0, 1, 64) ~ /^[0-9a-f]+$/ && substr($0, 65, 2) == "  " &&
      substr($0, 67) ~ /^[A-Za-z0-9._+@][A-Za-z0-9._+@\/-]*$/) { printf "line %d is not \"<sha256 hex>  <relative path>\"\n", NR; next }
    { p = substr($0, 67); n = split(p, part, "/"); bad = 0
      for (i = 1; i <= n; i++) if (part[i] == "" || part[i] == "." || part[i] == "..") bad = 1
      if (bad) { printf "line %d names an unsafe path\n", NR; next }
      if (p == "SHA256SUMS" || p == "SHA256SUMS.cms") { printf "line %d lists %s, which cannot list itself\n", NR, p; next }
      if (p in seen) { printf "line %d lists %s twice\n", NR, p; next }
      seen[p] = 1; print > out }
    NR > 20000 { print "more than 20000 lines"; exit }' SHA256SUMS >"$tmp/sums.problems"
  unterminated SHA256SUMS >>"$tmp/sums.problems"
  if [ -s "$tmp/sums.problems" ]; then
    fail "checksum: SHA256SUMS: malformed: $(clean "$(head -n 1 "$tmp/sums.problems")")"
    : >"$tmp/entries"
  fi
  cut -c67- "$tmp/entries" >"$listed"
  while IFS= read -r entry; do
    expected=${entry%%  *} path=${entry#*  }
    if [ -L "$path" ] || { [ -e "$path" ] && [ ! -f "$path" ]; }; then
      fail "checksum: $path: not a regular file"
    elif [ ! -e "$path" ]; then
      fail "checksum: $path: listed in SHA256SUMS but missing"
    elif [ "$(sha256sum -b -- "$path" | cut -c1-64)" != "$expected" ]; then
      fail "checksum: $path: sha256 does not match SHA256SUMS"
    else
      ok "checksum: $path"
    fi
  done <"$tmp/entries"
else
  fail 'checksum: SHA256SUMS: missing, or not a regular file of at most 1 MiB'
fi

# --- SHA-384 sums: a second hash of every file, checked with openssl
if ! bounded SHA384SUMS; then
  fail 'sha384: SHA384SUMS: missing, or not a regular file of at most 1 MiB'
elif ! grep -qx 'SHA384SUMS' "$listed"; then
  fail 'sha384: SHA384SUMS: not listed in SHA256SUMS, so not covered by the signature'
else
  awk '!(length($0) > 98 && substr($0, 1, 96) ~ /^[0-9a-f]+$/ && substr($0, 97, 2) == "  " &&
    substr($0, 99) ~ /^[A-Za-z0-9._+@][A-Za-z0-9._+@\/-]*$/) { printf "line %d is not \"<sha384 hex>  <path>\"\n", NR }' \
    SHA384SUMS >"$tmp/sha384.problems"
  unterminated SHA384SUMS >>"$tmp/sha384.problems"
  grep -vx 'SHA384SUMS' "$listed" | sort >"$tmp/want384"
  cut -c99- SHA384SUMS | sort >"$tmp/have384"
  if [ -s "$tmp/sha384.problems" ]; then
    fail "sha384: SHA384SUMS: malformed: $(clean "$(head -n 1 "$tmp/sha384.problems")")"
  elif ! cmp -s "$tmp/want384" "$tmp/have384"; then
    fail 'sha384: SHA384SUMS: does not list the same files as SHA256SUMS'
  else
    bad384=''
    while IFS= read -r line; do
      path=${line#*  }
      if [ ! -f "$path" ] || [ -L "$path" ]; then bad384="$path: missing or not a regular file"; break; fi
      actual=$(openssl dgst -sha384 -r "$path" 2>/dev/null | cut -c1-96)
      [ "$actual" = "$(printf '%s' "$line" | cut -c1-96)" ] || { bad384="$path: sha384 does not match SHA384SUMS"; break; }
    done <SHA384SUMS
    if [ -n "$bad384" ]; then fail "sha384: $bad384"
    else ok "sha384: $(wc -l <"$tmp/have384" | tr -d ' ') files match SHA384SUMS (openssl dgst -sha384)"; fi
  fi
fi

# --- unlisted: nothing in the kit that the signature does not cover, no folder it does not imply
# found KIND OUT: the kit's folders (d) or everything else (f), at most MAX_FILES + 1 of them; fails
# when find cannot read every folder (a folder this user may not read hides what is in it).
found() {
  if [ "$1" = d ]; then set -- "$2" -type d; else set -- "$2" ! -type d; fi
  out=$1
  shift
  { find . ! -name . "$@" -print 2>"$tmp/find.err"; echo $? >"$tmp/find.rc"; } |
    head -n "$((MAX_FILES + 1))" | sed 's|^\./||' | sort >"$out"
  [ "$(cat "$tmp/find.rc")" = 0 ] || [ "$(wc -l <"$out")" -gt "$MAX_FILES" ]
}
unlisted_before=$failures
if ! found f "$tmp/present" || ! found d "$tmp/folders"; then
  fail "unlisted: .: cannot read every folder of the kit ($(clean "$(head -n 1 "$tmp/find.err")"))"
elif [ "$(wc -l <"$tmp/present")" -gt "$MAX_FILES" ] || [ "$(wc -l <"$tmp/folders")" -gt "$MAX_FILES" ]; then
  fail "unlisted: .: the kit holds more than $MAX_FILES files or folders"
else
  { cat "$listed"; printf 'SHA256SUMS\nSHA256SUMS.cms\n'; } | sort >"$tmp/covered"
  comm -23 "$tmp/present" "$tmp/covered" >"$tmp/unlisted"
  # The folders the listed paths imply: every proper prefix of every path.
  awk '{ n = split($0, part, "/"); p = ""; for (i = 1; i < n; i++) { p = p (i > 1 ? "/" : "") part[i]; print p } }' \
    "$listed" | sort -u >"$tmp/implied"
  comm -23 "$tmp/folders" "$tmp/implied" >"$tmp/unlisted.folders"
  while IFS= read -r path; do fail "unlisted: $(clean "$path"): in the kit but not in SHA256SUMS"; done <"$tmp/unlisted"
  while IFS= read -r path; do
    fail "unlisted: $(clean "$path"): a folder in the kit that holds no file SHA256SUMS lists"
  done <"$tmp/unlisted.folders"
  [ "$failures" = "$unlisted_before" ] && ok 'unlisted: none'
fi

# --- the SBOM: its hashes as both lists give them
sbom256=$(awk 'substr($0, 67) == "sbom.cdx.json" { print substr($0, 1, 64) }' SHA256SUMS 2>/dev/null)
sbom384=$(awk 'substr($0, 99) == "sbom.cdx.json" { print substr($0, 1, 96) }' SHA384SUMS 2>/dev/null)
if [ ! -f sbom.cdx.json ] || [ -z "$sbom256" ] || [ -z "$sbom384" ]; then
  fail 'sbom: sbom.cdx.json: missing, or not listed in SHA256SUMS and SHA384SUMS'
elif [ "$(sha256sum -b sbom.cdx.json | cut -c1-64)" != "$sbom256" ] ||
  [ "$(openssl dgst -sha384 -r sbom.cdx.json | cut -c1-96)" != "$sbom384" ]; then
  fail 'sbom: sbom.cdx.json: does not match SHA256SUMS and SHA384SUMS'
else
  ok "sbom: sbom.cdx.json sha256 $sbom256 matches SHA256SUMS and SHA384SUMS"
fi

# --- verdict
if [ "$failures" -gt 0 ]; then
  echo "FAILED: $failures checks"
  exit 1
fi
version=''
# The release's own version: the top-level key, two spaces in, as npm run release writes it (nested
# objects, such as the native modules', carry versions of their own).
[ -f release.json ] && version=$(dd if=release.json bs=65536 count=1 2>/dev/null |
  sed -n 's/^  "version": "\([0-9A-Za-z.+-]\{1,64\}\)",\{0,1\}$/\1/p' | head -n 1)
echo "verified: Enclave ${version:-(no release.json)}: $(wc -l <"$listed" | tr -d ' ') files, signed by $signer_subject, release CA sha256 $ca_fp"
exit 0
