#!/usr/bin/env bash
# Last step of `./mvnw package` in the release module: a jpackage app image of the director where
# this JDK has jpackage (Linux only; skipped with a message elsewhere), then SHA256SUMS over dist/.
#   finish-dist.sh DIST_DIR VERSION
set -euo pipefail
dist=$1
version=$2
cd "$dist"

arch=$(uname -m)
case "$arch" in
  x86_64|amd64) platform=linux-x64 ;;
  aarch64|arm64) platform=linux-aarch64 ;;
  *) platform="" ;;
esac
jpackage_bin=""
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/jpackage" ]]; then
  jpackage_bin="$JAVA_HOME/bin/jpackage"
elif command -v jpackage >/dev/null; then
  jpackage_bin=$(command -v jpackage)
fi
image=concerto-director-$version-$platform-app.tar.gz
rm -f concerto-director-*-app.tar.gz
if [[ "$(uname -s)" != Linux || -z "$platform" ]]; then
  echo "release: skipping the jpackage app image: it is built on Linux x86_64/aarch64 only (this is $(uname -s) $arch)"
elif [[ -z "$jpackage_bin" ]]; then
  echo "release: skipping the jpackage app image: this JDK has no jpackage (install a full JDK 17, e.g. Debian openjdk-17-jdk)"
elif [[ "${CONCERTO_SKIP_APP_IMAGE:-}" == 1 ]]; then
  echo "release: skipping the jpackage app image (CONCERTO_SKIP_APP_IMAGE=1)"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir "$work/input"
  cp "concerto-director-$version-$platform.jar" "$work/input/"
  # The app version must be numeric: 0.1.0-SNAPSHOT -> 0.1.0.
  app_version=${version%%-*}
  start=$(date +%s)
  "$jpackage_bin" --type app-image --name concerto-director --app-version "$app_version" \
    --input "$work/input" --main-jar "concerto-director-$version-$platform.jar" \
    --main-class dev.concerto.director.cli.DirectorMain \
    --add-modules java.base,java.desktop,java.logging,java.naming,java.net.http,java.prefs,java.sql,java.xml,jdk.unsupported,jdk.crypto.ec,java.management \
    --jlink-options "--strip-debug --no-header-files --no-man-pages" \
    --dest "$work/out"
  tar -C "$work/out" -czf "$image" concerto-director
  echo "release: jpackage app image $image ($(du -h "$image" | cut -f1), $(( $(date +%s) - start )) s): unpack and run concerto-director/bin/concerto-director gui"
fi

rm -f SHA256SUMS
sha256sum -- *.jar *.deb $(compgen -G "*.tar.gz" || true) > SHA256SUMS
echo "release: $(wc -l < SHA256SUMS) files in $dist, checksums in SHA256SUMS"
