package io.sparkmlp.jobs.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files of MNIST (gzip-compressed, big-endian header, unsigned bytes):
 * {@code idx3} images as rows of pixels scaled to [0, 1], {@code idx1} labels.
 */
final class Idx {
  private Idx() {}

  /** Images: [rows][height * width], pixel / 255. */
  static float[][] images(Path gz) throws IOException {
    try (DataInputStream in = open(gz)) {
      int magic = in.readInt();
      if (magic != 0x00000803) {
        throw new IOException(gz + ": not an idx3 ubyte file (magic " + Integer.toHexString(magic)
            + ")");
      }
      int n = in.readInt();
      int h = in.readInt();
      int w = in.readInt();
      float[][] out = new float[n][h * w];
      byte[] row = new byte[h * w];
      for (int i = 0; i < n; i++) {
        in.readFully(row);
        for (int j = 0; j < row.length; j++) {
          out[i][j] = (row[j] & 0xff) / 255f;
        }
      }
      return out;
    }
  }

  /** Labels 0..9. */
  static int[] labels(Path gz) throws IOException {
    try (DataInputStream in = open(gz)) {
      int magic = in.readInt();
      if (magic != 0x00000801) {
        throw new IOException(gz + ": not an idx1 ubyte file (magic " + Integer.toHexString(magic)
            + ")");
      }
      int n = in.readInt();
      byte[] b = new byte[n];
      in.readFully(b);
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        out[i] = b[i] & 0xff;
      }
      return out;
    }
  }

  private static DataInputStream open(Path gz) throws IOException {
    return new DataInputStream(new BufferedInputStream(
        new GZIPInputStream(Files.newInputStream(gz), 1 << 16), 1 << 16));
  }
}
