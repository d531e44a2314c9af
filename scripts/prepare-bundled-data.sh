#!/usr/bin/env bash
# Regenerates the small real datasets bundled for tests (src/test/resources/data/*.csv) from the
# scikit-learn 1.2.1 data files in the shared reference data (see src/test/resources/data/README.md).
#
# Usage: scripts/prepare-bundled-data.sh [SHARED_DATA_DIR]   (default: <project>/../shared/data)
# Needs only bash and python3 (standard library). The output is deterministic.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="${1:-$here/../shared/data}/sklearn-small"
out="$here/src/test/resources/data"
mkdir -p "$out"

python3 - "$src" "$out" <<'PY'
import csv, gzip, os, sys

src, out = sys.argv[1], sys.argv[2]

def write(name, header, rows):
    path = os.path.join(out, name)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    print(f"{path}: {len(rows)} rows x {len(header) - 1} features")

def classification(gz, name, string_labels=False):
    """sklearn format: first line 'n_samples,n_features,class names...', label index last."""
    with gzip.open(os.path.join(src, gz), "rt") as f:
        lines = [l.strip() for l in f if l.strip()]
    first = lines[0].split(",")
    n, d, names = int(first[0]), int(first[1]), first[2:]
    rows = []
    for line in lines[1:]:
        cells = line.split(",")
        assert len(cells) == d + 1, (gz, line)
        label = int(float(cells[-1]))
        rows.append(cells[:d] + [names[label] if string_labels else str(label)])
    assert len(rows) == n, (gz, len(rows), n)
    write(name, [f"x{i + 1}" for i in range(d)] + ["label"], rows)

classification("breast_cancer.csv.gz", "breast_cancer.csv")
classification("iris.csv.gz", "iris.csv", string_labels=True)
classification("wine_data.csv.gz", "wine.csv")

# digits: no first line, 64 pixel values (0..16) and the digit (0..9) per line
with gzip.open(os.path.join(src, "digits.csv.gz"), "rt") as f:
    lines = [l.strip() for l in f if l.strip()]
rows = []
for line in lines:
    cells = line.split(",")
    assert len(cells) == 65, ("digits.csv.gz", line)
    rows.append(cells[:64] + [str(int(float(cells[-1])))])
assert len(rows) == 1797, len(rows)
write("digits.csv", [f"x{i + 1}" for i in range(64)] + ["label"], rows)

# diabetes: whitespace-separated raw features (no header) and a separate target file
with gzip.open(os.path.join(src, "diabetes_data_raw.csv.gz"), "rt") as f:
    xs = [l.split() for l in f if l.strip()]
with gzip.open(os.path.join(src, "diabetes_target.csv.gz"), "rt") as f:
    ys = [float(l) for l in f if l.strip()]
assert len(xs) == len(ys) == 442 and all(len(r) == 10 for r in xs)
write("diabetes.csv", [f"x{i + 1}" for i in range(10)] + ["target"],
      [r + ["%g" % y] for r, y in zip(xs, ys)])
PY
