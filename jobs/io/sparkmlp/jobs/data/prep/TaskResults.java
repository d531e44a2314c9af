package io.sparkmlp.jobs.data.prep;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Task results of the preparation passes as bytes: Spark sends task results with Kryo and
 * {@code spark.kryo.registrationRequired=true}, where byte arrays are registered; the statistics
 * objects are Java-serialized into them by the task and read back on the driver. Only this
 * project's own task results go through it, never user input.
 */
final class TaskResults {
  private TaskResults() {}

  /** {@code value} serialized. */
  static byte[] pack(Serializable value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The value {@link #pack} serialized. */
  @SuppressWarnings("unchecked")
  static <T> T unpack(byte[] data) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
      return (T) in.readObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
