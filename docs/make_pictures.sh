#!/usr/bin/env bash
# Regenerate the README's pictures (docs/img/) from samples/. Needs Pillow:
#   pip install ".[images]" && bash docs/make_pictures.sh
# CNNCALC may name another way to run cnncalc, e.g. CNNCALC="python -m cnncalc".
set -euo pipefail
cd "$(dirname "$0")/.."
CNNCALC=${CNNCALC:-cnncalc}
out=docs/img
mkdir -p "$out"

# 1. heat maps: the X with the notes' three features (samples/net/features.txt), side by side
$CNNCALC conv samples/xo/x.txt samples/net/features.txt --norm mean --precision 9 --format plain \
  | $CNNCALC draw - --round truncate --title "X with the three features (norm=mean)" -o "$out/maps.png"

# 2. a marked answer: the notes' homework, its dropped minus signs outlined in red
#    (check exits 1 because answers are wrong; one picture per answer: marked-1.png ...)
$CNNCALC check samples/xo/homework.txt --norm mean --png "$out/marked.png" > /dev/null || [ $? -eq 1 ]

# 3. animations: the X and its first feature; then padding, stride and dilation together
$CNNCALC animate samples/xo/x.txt samples/xo/k1.txt --norm mean --round truncate -o "$out/conv.gif"
$CNNCALC animate samples/xo/x.txt samples/xo/k2.txt --padding 1 --stride 2 --dilation 2 --fps 1 \
  -o "$out/conv-dilated.gif"

# 4. transposed convolution: the 2×2 input stamps the kernel at stride 2
$CNNCALC conv-transpose samples/transpose/x.txt samples/transpose/k.txt --stride 2 --format plain \
  | $CNNCALC draw - --precision 0 --title "conv-transpose, stride 2: each input cell stamps the kernel" \
  -o "$out/transpose.png"
$CNNCALC animate samples/transpose/x.txt samples/transpose/k.txt --transposed --stride 2 --fps 1 --precision 0 \
  --title "conv-transpose, stride 2: the input spread by the stride" -o "$out/transpose.gif"
