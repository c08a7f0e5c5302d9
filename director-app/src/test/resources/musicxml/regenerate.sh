#!/usr/bin/env bash
# Regenerates the MuseScore 3 fixtures in musescore3/ with the real program (Debian: apt-get install
# musescore3). Each one is MuseScore's MusicXML export of a file it imported:
#   frere-jacques.musicxml           <- scores/frere-jacques.mid
#   row-row-row-your-boat.{musicxml,mxl} <- scores/row-row-row-your-boat.musicxml
#   <name>.musicxml                  <- handwritten/<name>.musicxml
# MuseScoreFixturesTest does the same into a temporary directory whenever mscore3 is on the PATH and
# checks that the notes match the committed files (the bytes differ: MuseScore writes today's date).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
export QT_QPA_PLATFORM=offscreen
out="$here/musescore3"
mkdir -p "$out"
mscore3 -o "$out/frere-jacques.musicxml" "$root/scores/frere-jacques.mid"
mscore3 -o "$out/row-row-row-your-boat.musicxml" "$root/scores/row-row-row-your-boat.musicxml"
mscore3 -o "$out/row-row-row-your-boat.mxl" "$root/scores/row-row-row-your-boat.musicxml"
for f in "$here"/handwritten/*.musicxml; do
  mscore3 -o "$out/$(basename "$f")" "$f"
done
