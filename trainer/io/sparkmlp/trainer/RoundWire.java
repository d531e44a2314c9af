package io.sparkmlp.trainer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * The byte format of {@link DirectRounds}: what the driver and a partition's task exchange over
 * their socket. Every message is a fixed header of big-endian scalars (Java's
 * {@link DataOutputStream}) followed, for float arrays, by the raw little-endian IEEE 754 bits,
 * copied in bulk: a float crosses the wire as exactly the bits it had, so a round computed over
 * a socket is bitwise the round computed through a Spark job.
 *
 * <pre>
 *   hello   (task -> driver): MAGIC, session, token[0], token[1], partition, attempt
 *   round   (driver -> task): ROUND, firstStep, steps, RoundStart
 *   step    (driver -> task): STEP, step, floats (the weights)
 *   end     (driver -> task): END
 *   result  (task -> driver): RESULT, loss, count, weightSum, floats
 *   RoundStart: floats, slot count, slot names (UTF), step, scalar count, (name, value) pairs
 *   floats:     length n, then 4n bytes, little-endian
 * </pre>
 */
final class RoundWire {
  private RoundWire() {}

  /** First int of a hello: "SMLP". */
  static final int MAGIC = 0x534d4c50;
  /** A round follows. */
  static final int ROUND = 1;
  /** The epoch's rounds are over: the task returns. */
  static final int END = 2;
  /** A round's result follows. */
  static final int RESULT = 3;
  /** A synchronous step follows: its index in the epoch and the weights. */
  static final int STEP = 4;

  /** Bytes converted per bulk copy. */
  private static final int CHUNK_FLOATS = 1 << 14;

  /** Writes {@code n} then the floats {@code v[0..n)} as little-endian bits, in bulk. */
  static void writeFloats(DataOutputStream out, float[] v, int n) throws IOException {
    out.writeInt(n);
    byte[] buf = new byte[4 * Math.min(n, CHUNK_FLOATS)];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i += CHUNK_FLOATS) {
      int m = Math.min(CHUNK_FLOATS, n - i);
      bb.clear();
      bb.asFloatBuffer().put(v, i, m);
      out.write(buf, 0, 4 * m);
    }
  }

  /**
   * Reads a float array written by {@link #writeFloats} into {@code into} when it has the
   * length, else into a new array (returned).
   *
   * @param alive see {@link #readFully}
   */
  static float[] readFloats(InputStream in, float[] into, BooleanSupplier alive)
      throws IOException {
    int n = readInt(in, alive);
    if (n < 0) {
      throw new IOException("negative float count " + n);
    }
    float[] v = into != null && into.length == n ? into : new float[n];
    byte[] buf = new byte[4 * Math.min(n, CHUNK_FLOATS)];
    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i += CHUNK_FLOATS) {
      int m = Math.min(CHUNK_FLOATS, n - i);
      readFully(in, buf, 4 * m, alive);
      bb.clear();
      bb.asFloatBuffer().get(v, i, m);
    }
    return v;
  }

  /** Writes a round start (after the ROUND header). */
  static void writeStart(DataOutputStream out, RoundStart st) throws IOException {
    writeFloats(out, st.values, st.values.length);
    out.writeInt(st.slotNames.length);
    for (String name : st.slotNames) {
      out.writeUTF(name);
    }
    out.writeLong(st.step);
    out.writeInt(st.scalarNames.length);
    for (int k = 0; k < st.scalarNames.length; k++) {
      out.writeUTF(st.scalarNames[k]);
      out.writeDouble(st.scalars[k]);
    }
  }

  /**
   * Reads a round start written by {@link #writeStart}, its values into {@code values} when that
   * has the length (the task reuses one array across an epoch's rounds).
   */
  static RoundStart readStart(DataInputStream in, float[] values) throws IOException {
    float[] v = readFloats(in, values, null);
    String[] slots = new String[in.readInt()];
    for (int k = 0; k < slots.length; k++) {
      slots[k] = in.readUTF();
    }
    long step = in.readLong();
    int m = in.readInt();
    String[] names = new String[m];
    double[] scalars = new double[m];
    for (int k = 0; k < m; k++) {
      names[k] = in.readUTF();
      scalars[k] = in.readDouble();
    }
    return new RoundStart(v, slots, step, names, scalars);
  }

  /** Writes a round's result. */
  static void writeResult(DataOutputStream out, PartialSums r) throws IOException {
    out.writeInt(RESULT);
    out.writeDouble(r.loss);
    out.writeLong(r.count);
    out.writeDouble(r.weightSum);
    writeFloats(out, r.grad, r.grad.length);
    out.flush();
  }

  /**
   * Reads a result written by {@link #writeResult}, waiting as long as {@code alive} holds.
   *
   * @throws IOException on a closed stream, a malformed message or when {@code alive} turns false
   */
  static PartialSums readResult(InputStream in, BooleanSupplier alive) throws IOException {
    int tag = readInt(in, alive);
    if (tag != RESULT) {
      throw new IOException("expected a round result, got message " + tag);
    }
    byte[] head = new byte[8 + 8 + 8];
    readFully(in, head, head.length, alive);
    ByteBuffer h = ByteBuffer.wrap(head);
    double loss = h.getDouble();
    long count = h.getLong();
    double weightSum = h.getDouble();
    return new PartialSums(readFloats(in, null, alive), loss, count, weightSum);
  }

  /** A big-endian int ({@link DataOutputStream#writeInt}); {@code alive} as in {@link #readFully}. */
  static int readInt(InputStream in, BooleanSupplier alive) throws IOException {
    byte[] b = new byte[4];
    readFully(in, b, 4, alive);
    return ByteBuffer.wrap(b).getInt();
  }

  /**
   * Fills {@code buf[0..len)} from {@code in}. With {@code alive}, a socket read timeout is not an
   * error: the read is retried while {@code alive} holds (a timed-out socket stays usable), so a
   * long round does not fail while a lost peer is still noticed. Without ({@code null}), a read
   * timeout is an error ({@link SocketTimeoutException}).
   */
  static void readFully(InputStream in, byte[] buf, int len, BooleanSupplier alive)
      throws IOException {
    int off = 0;
    while (off < len) {
      int r;
      try {
        r = in.read(buf, off, len - off);
      } catch (SocketTimeoutException e) {
        if (alive == null) {
          throw e;
        }
        if (!alive.getAsBoolean()) {
          throw new IOException("the round exchange was abandoned", e);
        }
        continue;
      }
      if (r < 0) {
        throw new EOFException("the peer closed the round exchange");
      }
      off += r;
    }
  }
}
