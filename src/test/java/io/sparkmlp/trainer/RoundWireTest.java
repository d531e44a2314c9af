package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * {@link RoundWire}: floats cross as their exact bits (NaN payloads, -0, subnormals, infinities),
 * across the bulk-copy chunk boundary; a round start and a result round-trip field by field; a
 * truncated message is an error, not a short array.
 */
class RoundWireTest {

  /** Every special value plus a run longer than one bulk-copy chunk (2^14 floats). */
  private static float[] awkwardFloats() {
    float[] v = new float[(1 << 14) * 2 + 7];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.sin(i) * (i % 3 == 0 ? 1e-40f : 1e3f);
    }
    v[0] = -0.0f;
    v[1] = Float.intBitsToFloat(0x7fc01234); // a NaN with a payload
    v[2] = Float.MIN_VALUE;
    v[3] = Float.NEGATIVE_INFINITY;
    v[(1 << 14) - 1] = Float.MAX_VALUE;
    v[1 << 14] = Float.intBitsToFloat(0xffa00001); // a signalling-pattern NaN
    return v;
  }

  private static int[] bits(float[] v) {
    int[] b = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = Float.floatToRawIntBits(v[i]);
    }
    return b;
  }

  @Test
  void floatsCrossAsTheirBitsAndReuseTheGivenArray() throws IOException {
    float[] v = awkwardFloats();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RoundWire.writeFloats(new DataOutputStream(bytes), v, v.length);
    assertEquals(4 + 4 * v.length, bytes.size());
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    float[] into = new float[v.length];
    float[] got = RoundWire.readFloats(in, into, null);
    assertSame(into, got);
    assertArrayEquals(bits(v), bits(got));
  }

  @Test
  void aRoundStartAndAResultRoundTrip() throws IOException {
    float[] v = awkwardFloats();
    RoundStart st = new RoundStart(v, new String[] {"m", "v"}, 1234L,
        new String[] {"plateau.best"}, new double[] {0.25});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    RoundWire.writeStart(out, st);
    RoundWire.writeResult(out, new PartialSums(v, 3.5, 77L, 76.5));
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
    RoundStart back = RoundWire.readStart(in, null);
    assertArrayEquals(bits(v), bits(back.values));
    assertArrayEquals(st.slotNames, back.slotNames);
    assertEquals(1234L, back.step);
    assertArrayEquals(st.scalarNames, back.scalarNames);
    assertArrayEquals(st.scalars, back.scalars);
    PartialSums r = RoundWire.readResult(in, () -> true);
    assertArrayEquals(bits(v), bits(r.grad));
    assertEquals(3.5, r.loss);
    assertEquals(77L, r.count);
    assertEquals(76.5, r.weightSum);
  }

  @Test
  void aTruncatedMessageIsAnError() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RoundWire.writeResult(new DataOutputStream(bytes), new PartialSums(new float[100], 1, 2, 3));
    byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), bytes.size() - 1);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(cut));
    assertThrows(EOFException.class, () -> RoundWire.readResult(in, () -> true));
    DataInputStream bad = new DataInputStream(new ByteArrayInputStream(new byte[] {0, 0, 0, 9}));
    IOException e = assertThrows(IOException.class, () -> RoundWire.readResult(bad, () -> true));
    assertEquals("expected a round result, got message 9", e.getMessage());
  }
}
