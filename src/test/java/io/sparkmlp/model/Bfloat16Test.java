package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Float to bfloat16 rounding and back: exact bit patterns for known values (ties to even,
 * overflow to infinity, subnormals, NaN, signed zeros), the 2^-8 relative error bound, and
 * rounding of a bfloat16 value as the identity.
 */
class Bfloat16Test {

  private static short r(int floatBits) {
    return Bfloat16.round(Float.intBitsToFloat(floatBits));
  }

  private static int bits(short h) {
    return h & 0xFFFF;
  }

  @Test
  void exactValuesRoundToTheirTopHalf() {
    assertEquals(0x3F80, bits(Bfloat16.round(1.0f)));
    assertEquals(0xC020, bits(Bfloat16.round(-2.5f)));
    assertEquals(1.0f, Bfloat16.widen(Bfloat16.round(1.0f)));
    assertEquals(-2.5f, Bfloat16.widen(Bfloat16.round(-2.5f)));
  }

  @Test
  void roundsToNearestWithTiesToEven() {
    // 1/3 = 0x3EAAAAAB: the dropped half 0xAAAB is above the tie, so it rounds up
    assertEquals(0x3EAAAAAB, Float.floatToRawIntBits(1f / 3f));
    assertEquals(0x3EAB, bits(Bfloat16.round(1f / 3f)));
    assertEquals(0.333984375f, Bfloat16.widen(Bfloat16.round(1f / 3f)));
    // just below and above a tie
    assertEquals(0x3F80, bits(r(0x3F807FFF)));
    assertEquals(0x3F81, bits(r(0x3F808001)));
    // exact ties: 1 + 2^-8 goes down to the even 1.0, 1 + 3 * 2^-8 up to the even 1 + 2^-6
    assertEquals(0x3F80, bits(r(0x3F808000)));
    assertEquals(0x3F82, bits(r(0x3F818000)));
    assertEquals(1.015625f, Bfloat16.widen(r(0x3F818000)));
    // negative values round their magnitude the same way
    assertEquals(0xBF80, bits(r(0xBF808000)));
    assertEquals(0xBF82, bits(r(0xBF818000)));
    // a carry out of the mantissa moves to the next binade: 1.99999988 -> 2
    assertEquals(2.0f, Bfloat16.widen(Bfloat16.round(Math.nextDown(2.0f))));
  }

  @Test
  void overflowGoesToInfinityAndInfinitiesStay() {
    assertEquals(0x7F80, bits(Bfloat16.round(Float.MAX_VALUE)));
    assertEquals(0xFF80, bits(Bfloat16.round(-Float.MAX_VALUE)));
    assertEquals(Float.POSITIVE_INFINITY, Bfloat16.widen(Bfloat16.round(Float.MAX_VALUE)));
    // the largest bfloat16 stays finite, as does anything that rounds down to it
    assertEquals(0x7F7F, bits(r(0x7F7F0000)));
    assertEquals(0x7F7F, bits(r(0x7F7F7FFF)));
    assertEquals(0x7F80, bits(r(0x7F7F8000))); // tie above an odd mantissa: up, to infinity
    assertEquals(0x7F80, bits(Bfloat16.round(Float.POSITIVE_INFINITY)));
    assertEquals(0xFF80, bits(Bfloat16.round(Float.NEGATIVE_INFINITY)));
  }

  @Test
  void subnormalsAndSignedZeros() {
    assertEquals(0x0000, bits(Bfloat16.round(0.0f)));
    assertEquals(0x8000, bits(Bfloat16.round(-0.0f)));
    assertEquals(Float.floatToRawIntBits(-0.0f),
        Float.floatToRawIntBits(Bfloat16.widen(Bfloat16.round(-0.0f))));
    // the smallest float subnormal is below half the smallest bfloat16 subnormal: a signed zero
    assertEquals(0x0000, bits(Bfloat16.round(Float.MIN_VALUE)));
    assertEquals(0x8000, bits(Bfloat16.round(-Float.MIN_VALUE)));
    // the smallest bfloat16 subnormal (2^-133) is exact; ties between subnormals go to even
    assertEquals(0x0001, bits(r(0x00010000)));
    assertEquals(0x0000, bits(r(0x00008000)));
    assertEquals(0x0002, bits(r(0x00018000)));
    assertEquals(0x0001, bits(r(0x00008001)));
    // the largest float subnormal rounds up to the smallest normal
    assertEquals(0x0080, bits(r(0x007FFFFF)));
    assertEquals(Float.MIN_NORMAL, Bfloat16.widen(r(0x007FFFFF)));
  }

  @Test
  void nanStaysNan() {
    assertEquals(0x7FC0, bits(Bfloat16.round(Float.NaN)));
    // payloads only in the dropped bits would truncate to infinity: they stay NaN of their sign
    assertTrue(Float.isNaN(Bfloat16.widen(r(0x7F800001))));
    assertTrue(Float.isNaN(Bfloat16.widen(r(0x7FFFFFFF))));
    assertTrue(Float.isNaN(Bfloat16.widen(r(0xFF800001))));
    assertEquals(0xFFC0, bits(r(0xFF800001)));
  }

  @Test
  void relativeErrorIsAtMostTwoToTheMinusEight() {
    SplittableRandom rnd = new SplittableRandom(7);
    double bound = Math.scalb(1.0, -8);
    int tested = 0;
    while (tested < 200_000) {
      float x = Float.intBitsToFloat(rnd.nextInt());
      // normal floats whose rounding stays finite (the subnormal range has absolute, not
      // relative, precision)
      if (!Float.isFinite(x) || Math.abs(x) < Float.MIN_NORMAL
          || Math.abs(x) >= Bfloat16.widen((short) 0x7F7F)) {
        continue;
      }
      float y = Bfloat16.widen(Bfloat16.round(x));
      double rel = Math.abs((double) y - x) / Math.abs((double) x);
      assertTrue(rel <= bound, x + " -> " + y + ": relative error " + rel);
      tested++;
    }
    for (int i = 0; i < 10_000; i++) {
      float x = (float) (rnd.nextGaussian() * 1e-3);
      if (x == 0f) {
        continue;
      }
      float y = Bfloat16.widen(Bfloat16.round(x));
      assertTrue(Math.abs((double) y - x) <= bound * Math.abs((double) x), x + " -> " + y);
    }
  }

  @Test
  void roundingABfloat16ValueIsTheIdentity() {
    for (int h = 0; h < 0x10000; h++) {
      short s = (short) h;
      float f = Bfloat16.widen(s);
      if (Float.isNaN(f)) {
        assertTrue(Float.isNaN(Bfloat16.widen(Bfloat16.round(f))));
        continue;
      }
      assertEquals(h, bits(Bfloat16.round(f)), "bfloat16 0x" + Integer.toHexString(h));
    }
  }

  @Test
  void arrayFunctionsTouchOnlyTheFirstN() {
    float[] src = {1f / 3f, -2.5f, 1e-3f, 7f};
    short[] packed = {9, 9, 9, 9};
    Bfloat16.round(src, 3, packed);
    assertEquals(Bfloat16.round(1f / 3f), packed[0]);
    assertEquals(Bfloat16.round(-2.5f), packed[1]);
    assertEquals(Bfloat16.round(1e-3f), packed[2]);
    assertEquals(9, packed[3]);
    float[] back = {5f, 5f, 5f, 5f};
    Bfloat16.widen(packed, 3, back);
    assertArrayEquals(new float[] {0.333984375f, -2.5f, Bfloat16.widen(packed[2]), 5f}, back);
    float[] acc = {1f, 1f, 1f, 1f};
    Bfloat16.addWidened(packed, 1, 3, acc);
    assertArrayEquals(new float[] {1f, -1.5f, 1f + Bfloat16.widen(packed[2]), 1f}, acc);
  }
}
