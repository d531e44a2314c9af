package io.sparkmlp.jobs.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests (big-endian header, unsigned bytes), gzipped by name. */
public final class IdxFiles {
  private IdxFiles() {}

  /** The bytes of an IDX file of unsigned bytes with the given dimensions and values. */
  public static byte[] bytes(int[] dims, int... values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
    b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    for (int v : values) {
      b.put((byte) v);
    }
    return b.array();
  }

  /** Images: {@code n} items of {@code h x w} pixels (idx3). */
  public static byte[] images(int n, int h, int w, int... pixels) {
    return bytes(new int[] {n, h, w}, pixels);
  }

  /** Labels (idx1). */
  public static byte[] labels(int... labels) {
    return bytes(new int[] {labels.length}, labels);
  }

  /** Writes {@code content} to dir/name, gzip-compressed if the name ends in .gz; the path. */
  public static String write(Path dir, String name, byte[] content) {
    Path p = dir.resolve(name);
    try {
      Files.write(p, name.endsWith(".gz") ? gzip(content) : content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.toString();
  }

  /** {@code content} gzip-compressed. */
  public static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
