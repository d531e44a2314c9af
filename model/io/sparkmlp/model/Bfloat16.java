package io.sparkmlp.model;

/**
 * bfloat16: the top 16 bits of an IEEE 754 binary32 float (1 sign bit, the same 8 exponent bits,
 * 7 of the 23 mantissa bits), stored in a {@code short}. It has float's range and about 3 decimal
 * digits: rounding a float to it has a relative error of at most 2^-8 (half a unit in the last of 8
 * significant bits), and widening it back to float is exact. Free functions over flat arrays with
 * the length in the signature; nothing allocates.
 *
 * <p>Rounding is round-to-nearest-even on the 16 dropped bits, applied to the bit pattern: finite
 * values that round above the largest bfloat16 (about 3.39e38) become infinity of their sign, as in
 * every bfloat16 implementation (PyTorch, TensorFlow, Intel's and Arm's conversion instructions);
 * subnormal floats round like any other (to a bfloat16 subnormal or to a signed zero); infinities
 * and zeros keep their sign; a NaN stays a (quiet) NaN of its sign.
 */
public final class Bfloat16 {
  private Bfloat16() {}

  /**
   * The bfloat16 nearest to {@code f} (ties to even), as its 16 bits.
   *
   * <p>With b the float's 32 bits, the result is the top half of b + 0x7FFF + lsb, where lsb is
   * bit 16 of b (the last kept bit). Adding 0x7FFF carries into the kept bits exactly when the
   * dropped half is above 0x8000 (round up) and not when it is below (round down); at exactly
   * 0x8000 (a tie) the extra lsb makes it carry only when the kept part is odd, so the result is
   * even. A carry out of the mantissa increments the exponent, which is the correct rounded value
   * (1.11..1 x 2^e rounds to 1.0 x 2^(e+1)), and from the largest exponent gives 0x7F80, infinity.
   * NaNs are excluded first: a NaN whose payload lies only in the dropped bits would otherwise
   * truncate to infinity, so it keeps its sign and top payload bits with the quiet bit set.
   */
  public static short round(float f) {
    int b = Float.floatToRawIntBits(f);
    if ((b & 0x7FFFFFFF) > 0x7F800000) { // exponent all ones, mantissa non-zero: NaN
      return (short) ((b >>> 16) | 0x0040);
    }
    int lsb = (b >>> 16) & 1;
    return (short) ((b + 0x7FFF + lsb) >>> 16);
  }

  /** The float whose top 16 bits are {@code h} and whose low 16 are zero: exact. */
  public static float widen(short h) {
    return Float.intBitsToFloat((h & 0xFFFF) << 16);
  }

  /** dst[i] = round(src[i]) for i in [0, n). */
  public static void round(float[] src, int n, short[] dst) {
    for (int i = 0; i < n; i++) {
      dst[i] = round(src[i]);
    }
  }

  /** dst[i] = widen(src[i]) for i in [0, n): exact. */
  public static void widen(short[] src, int n, float[] dst) {
    for (int i = 0; i < n; i++) {
      dst[i] = widen(src[i]);
    }
  }

  /** dst[i] += widen(src[i]) for i in [from, to): one float addition per element, in order. */
  public static void addWidened(short[] src, int from, int to, float[] dst) {
    for (int i = from; i < to; i++) {
      dst[i] += widen(src[i]);
    }
  }
}
