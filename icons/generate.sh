#!/usr/bin/env bash
# Regenerates the SMM Desk app icons (RGBA PNGs) with ImageMagick: a rounded square with an
# indigo-to-teal gradient and three rising bars over a desk line. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
S=1024
convert -size ${S}x${S} -define gradient:angle=135 gradient:'#4f46e5-#0d9488' \
  \( -size ${S}x${S} xc:none -fill white -draw "roundrectangle 64,64 960,960 200,200" \) \
  -alpha set -compose DstIn -composite -compose Over \
  -fill white -stroke none \
  -draw "roundrectangle 262,500 382,720 36,36" \
  -draw "roundrectangle 452,380 572,720 36,36" \
  -draw "roundrectangle 642,240 762,720 36,36" \
  -fill 'rgba(255,255,255,0.55)' -draw "roundrectangle 232,760 792,800 20,20" \
  PNG32:/tmp/smm-desk-icon-master.png
for spec in 32x32:32x32.png 128x128:128x128.png 256x256:128x128@2x.png 512x512:icon.png; do
  size=${spec%%:*}; out=${spec#*:}
  convert /tmp/smm-desk-icon-master.png -filter Lanczos -resize "$size" -strip PNG32:"$out"
done
rm -f /tmp/smm-desk-icon-master.png
