package io.sparkmlp.trainer;

/**
 * 64-bit content hashes of rows and the seeded draws derived from them.
 *
 * <p>A row's identity is the hash of its feature and label bits, so which mini-batch step and which
 * split (train or validation) a row falls into depends only on its content and the seed, never on
 * how the data is partitioned or ordered. That is what makes 1 and 4 partitions train the same
 * model up to float rounding.
 */
public final class RowHash {
  private RowHash() {}

  /** Hash of a row's features [off, off+n) and label [loff, loff+ln). */
  public static long of(float[] f, int off, int n, float[] l, int loff, int ln) {
    long h = 0x243F6A8885A308D3L;
    for (int i = 0; i < n; i++) {
      h = mix(h ^ Float.floatToIntBits(f[off + i] + 0f)) + i;
    }
    for (int i = 0; i < ln; i++) {
      h = mix(h ^ (Float.floatToIntBits(l[loff + i] + 0f) * 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  /**
   * Hash of a sparse row: its width, its non-zero entries (column and value bits, in column order)
   * [off, off+nnz) and its label [loff, loff+ln). Zeros do not enter it, so storing an explicit
   * zero or not gives the same hash; it differs from {@link #of} of the same row densified, so a
   * sparse and a dense packing of the same data draw different batches and splits.
   */
  public static long ofSparse(int width, int[] col, float[] val, int off, int nnz, float[] l,
      int loff, int ln) {
    long h = 0x452821E638D01377L ^ width;
    for (int k = 0; k < nnz; k++) {
      h = mix(h ^ (((long) col[off + k] << 32)
          | (Float.floatToIntBits(val[off + k] + 0f) & 0xFFFFFFFFL)));
    }
    for (int i = 0; i < ln; i++) {
      h = mix(h ^ (Float.floatToIntBits(l[loff + i] + 0f) * 0x9E3779B97F4A7C15L));
    }
    return h;
  }

  /** SplitMix64 finalizer: a bijective 64-bit mixer. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A uniform draw in [0, 1) for (row hash, seed, salt): same inputs, same draw. */
  public static double uniform(long rowHash, long seed, long salt) {
    long z = mix(rowHash ^ mix(seed * 0x9E3779B97F4A7C15L + salt));
    return (z >>> 11) * 0x1.0p-53;
  }

  /** Throws if {@code hashes} is not in ascending (signed) order. */
  static void requireAscending(long[] hashes) {
    for (int i = 1; i < hashes.length; i++) {
      if (hashes[i] < hashes[i - 1]) {
        throw new IllegalArgumentException("row hashes are not in ascending order at row " + i
            + ": blocks must be packed by RowPacker");
      }
    }
  }

  /**
   * Sorts {@code idx[lo..hi]} by {@code keys[lo..hi]} (keys moved along), in place, ascending in
   * signed order. Equal keys are identical rows (the hash covers all of a row's values), so their
   * relative order cannot change any sum.
   */
  static void sortByKey(long[] keys, int[] idx, int lo, int hi) {
    while (lo < hi) {
      if (hi - lo < 16) {
        for (int i = lo + 1; i <= hi; i++) {
          long k = keys[i];
          int v = idx[i];
          int j = i - 1;
          while (j >= lo && keys[j] > k) {
            keys[j + 1] = keys[j];
            idx[j + 1] = idx[j];
            j--;
          }
          keys[j + 1] = k;
          idx[j + 1] = v;
        }
        return;
      }
      long pivot = keys[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (keys[i] < pivot) {
          i++;
        }
        while (keys[j] > pivot) {
          j--;
        }
        if (i <= j) {
          long tk = keys[i];
          keys[i] = keys[j];
          keys[j] = tk;
          int tv = idx[i];
          idx[i] = idx[j];
          idx[j] = tv;
          i++;
          j--;
        }
      }
      // recurse into the smaller side, loop on the larger (bounded stack depth)
      if (j - lo < hi - i) {
        sortByKey(keys, idx, lo, j);
        lo = i;
      } else {
        sortByKey(keys, idx, i, hi);
        hi = j;
      }
    }
  }
}
