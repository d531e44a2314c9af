package io.sparkmlp.jobs.bench;

import io.sparkmlp.jobs.data.read.IdxFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MNIST IDX files as arrays for the benchmarks, parsed and checked by {@link IdxFile} (the job
 * reader's parser): {@code idx3} images as rows of pixels scaled to [0, 1], {@code idx1} labels.
 */
final class Idx {
  private Idx() {}

  /** Images: [rows][height * width], pixel / 255. */
  static float[][] images(Path gz) throws IOException {
    IdxFile f = read(gz);
    if (f.dims().length != 3) {
      throw new IOException(gz + ": not an idx3 file (dimensions " + f.dims().length + ")");
    }
    int n = f.count();
    int w = f.itemSize();
    byte[] data = f.data();
    float[][] out = new float[n][w];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < w; j++) {
        out[i][j] = (data[i * w + j] & 0xff) / 255f;
      }
    }
    return out;
  }

  /** Labels 0..9. */
  static int[] labels(Path gz) throws IOException {
    IdxFile f = read(gz);
    if (f.dims().length != 1) {
      throw new IOException(gz + ": not an idx1 file (dimensions " + f.dims().length + ")");
    }
    byte[] b = f.data();
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xff;
    }
    return out;
  }

  private static IdxFile read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return IdxFile.parse(in, file.toString());
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
