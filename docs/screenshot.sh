#!/usr/bin/env bash
# Regenerates docs/screenshot.png: the real director window (BWV 846, local players, playing)
# on a virtual X display. Needs Debian packages xvfb, libgtk-3-0 and imagemagick (installed here
# with apt-get when missing and when run as root). Settings go to a temporary directory, so your
# own ~/.config/concerto is neither read nor changed.
#
#   docs/screenshot.sh [OUTPUT.png]      (default: docs/screenshot.png)
#   SCREENSHOT_DELAY=8 docs/screenshot.sh   seconds of playing before the picture
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:-$ROOT/docs/screenshot.png}
DELAY=${SCREENSHOT_DELAY:-7}
WIDTH=1280
HEIGHT=860

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
[[ -x /usr/bin/import ]] || need+=(imagemagick)
dpkg -s libgtk-3-0 >/dev/null 2>&1 || dpkg -s libgtk-3-0t64 >/dev/null 2>&1 || need+=(libgtk-3-0)
if [[ ${#need[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "screenshot.sh: missing ${need[*]}; install them with: sudo apt-get install -y ${need[*]}" >&2
    exit 2
  fi
  echo "screenshot.sh: installing ${need[*]}..." >&2
  apt-get install -y "${need[@]}" >/dev/null || { apt-get update >/dev/null && apt-get install -y "${need[@]}" >/dev/null; }
fi

jar=$(compgen -G "$ROOT/director-app/target/director-app-*-all.jar" | head -n 1 || true)
if [[ -z "$jar" || -n $(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml "$ROOT"/*/src/main -newer "$jar" -print -quit) ]]; then
  echo "screenshot.sh: building the director jar..." >&2
  (cd "$ROOT" && ./mvnw -B -q -DskipTests -pl director-app -am package)
  jar=$(compgen -G "$ROOT/director-app/target/director-app-*-all.jar" | head -n 1)
fi

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
  [[ -n "$xvfb_pid" ]] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A free display number: the first without a lock file.
display=99
while [[ -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 "${WIDTH}x${HEIGHT}x24" -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.1; done
export DISPLAY=":$display"

# The window fills the screen: no window manager runs, so it opens at the top-left corner.
mkdir -p "$work/config"
printf '{"windowWidth": %d, "windowHeight": %d}\n' "$WIDTH" "$HEIGHT" >"$work/config/settings.json"
(cd "$ROOT" && exec java -Dconcerto.config.dir="$work/config" -Dprism.order=sw -jar "$jar" gui --play --no-discovery) \
  >"$work/app.log" 2>&1 &
app_pid=$!

sleep "$DELAY"
if ! kill -0 "$app_pid" 2>/dev/null; then
  echo "screenshot.sh: the window did not stay open; its log:" >&2
  cat "$work/app.log" >&2
  exit 1
fi
/usr/bin/import -window root "$OUT"
echo "screenshot.sh: wrote $OUT" >&2
