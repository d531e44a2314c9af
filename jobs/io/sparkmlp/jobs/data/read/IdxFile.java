package io.sparkmlp.jobs.data.read;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * One IDX file of unsigned bytes (the format of MNIST and its relatives), read whole and checked.
 *
 * <p>Layout: a big-endian header of four magic bytes {@code 0x00 0x00 <type> <ndim>}, then
 * {@code ndim} big-endian 32-bit dimension sizes, then the values in row-major order. Only type
 * {@code 0x08} (unsigned byte) is supported: MNIST images are {@code idx3} (count x 28 x 28) and
 * labels {@code idx1} (count). The first dimension counts the items (images, labels); the product
 * of the others is the size of one item.
 *
 * <p>Compression: files are decompressed by the Hadoop codec their name selects ({@code .gz},
 * {@code .bz2}, ...), and a gzip stream is also recognized by its own magic bytes when the name
 * does not say so. Every problem is an {@link IllegalArgumentException} with a one-line message
 * that starts with the file: a bad magic number, an unsupported value type, a zero dimension, a
 * file that ends before the data its header declares (truncated), or bytes after it.
 *
 * @param file the file, for messages
 * @param dims the dimension sizes; {@code dims[0]} is the item count
 * @param data every value, row-major ({@code count() * itemSize()} bytes); read one as
 *             {@code data[i] & 0xff}
 */
public record IdxFile(String file, int[] dims, byte[] data) {
  /** Value type code of unsigned bytes, the only one supported. */
  public static final int UNSIGNED_BYTE = 0x08;

  /** Validates the shape against the data. */
  public IdxFile {
    dims = dims.clone();
    if (dims.length == 0) {
      throw new IllegalArgumentException(file + ": an IDX file has at least one dimension");
    }
    long size = 1;
    for (int d : dims) {
      size *= d;
    }
    if (size != data.length) {
      throw new IllegalArgumentException(file + ": dimensions " + Arrays.toString(dims)
          + " do not match " + data.length + " values");
    }
  }

  /** The dimension sizes (a copy). */
  @Override
  public int[] dims() {
    return dims.clone();
  }

  /** Number of items: the first dimension. */
  public int count() {
    return dims[0];
  }

  /** Values per item: the product of the dimensions after the first (1 for a vector). */
  public int itemSize() {
    int s = 1;
    for (int i = 1; i < dims.length; i++) {
      s *= dims[i];
    }
    return s;
  }

  /**
   * Reads one IDX file through Hadoop's FileSystem (local, hdfs://, s3a://...).
   *
   * @param path a file, or a glob matching exactly one file
   * @param conf the Hadoop configuration
   * @return the parsed file, named by its full path
   * @throws IllegalArgumentException with a one-line message naming the file: missing, not one
   *     file, unreadable, or not a well-formed IDX file of unsigned bytes
   */
  public static IdxFile read(String path, Configuration conf) {
    Path p = new Path(path);
    FileSystem fs;
    FileStatus file;
    try {
      fs = p.getFileSystem(conf);
      FileStatus[] found = fs.globStatus(p);
      if (found == null || found.length == 0) {
        throw new IllegalArgumentException(path + ": input path does not exist");
      }
      if (found.length > 1) {
        throw new IllegalArgumentException(path + ": idx input must be one file, but the path "
            + "matches " + found.length);
      }
      file = found[0];
    } catch (IOException e) {
      throw new IllegalArgumentException(path + ": cannot open: " + oneLine(e), e);
    }
    if (file.isDirectory()) {
      throw new IllegalArgumentException(path + ": idx input must be one file, not a directory");
    }
    String name = file.getPath().toString();
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(file.getPath());
    try (InputStream raw = fs.open(file.getPath());
        InputStream in = codec == null ? raw : codec.createInputStream(raw)) {
      return parse(in, name);
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + ": truncated: the compressed data ends early ("
          + oneLine(e) + ")", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(name + ": cannot read: " + oneLine(e), e);
    }
  }

  /**
   * Parses an IDX stream (decompressing it first if it starts with the gzip magic bytes). Does not
   * close {@code in}.
   *
   * @param in   the file's bytes
   * @param name the file, for messages
   * @return the parsed file
   * @throws IllegalArgumentException with a one-line message starting with {@code name} when the
   *     content is not a well-formed IDX file of unsigned bytes
   * @throws IOException when the stream cannot be read or decompressed
   */
  public static IdxFile parse(InputStream in, String name) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    InputStream s = buffered;
    if (b0 == 0x1f && b1 == 0x8b) {
      s = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
    }
    byte[] magic = s.readNBytes(4);
    if (magic.length == 0) {
      throw new IllegalArgumentException(name + ": file is empty (not an IDX file)");
    }
    if (magic.length < 4 || magic[0] != 0 || magic[1] != 0) {
      throw new IllegalArgumentException(name + ": bad magic number " + hex(magic)
          + ": not an IDX file (expected 0x0000 then type and dimension count, e.g. 0x00000803 "
          + "for idx3 images, 0x00000801 for idx1 labels)");
    }
    int type = magic[2] & 0xff;
    int ndim = magic[3] & 0xff;
    if (type != UNSIGNED_BYTE) {
      throw new IllegalArgumentException(name + ": bad magic number " + hex(magic) + ": value "
          + "type 0x" + String.format("%02X", type) + " (" + typeName(type) + ") is not supported; "
          + "only unsigned byte (0x08) is");
    }
    if (ndim == 0) {
      throw new IllegalArgumentException(name + ": bad magic number " + hex(magic)
          + ": zero dimensions");
    }
    byte[] header = s.readNBytes(4 * ndim);
    if (header.length < 4 * ndim) {
      throw new IllegalArgumentException(name + ": truncated header: " + ndim
          + " dimension sizes declared, file ends after " + (4 + header.length) + " bytes");
    }
    int[] dims = new int[ndim];
    long size = 1;
    for (int i = 0; i < ndim; i++) {
      int d = ((header[4 * i] & 0xff) << 24) | ((header[4 * i + 1] & 0xff) << 16)
          | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
      if (d == 0) {
        throw new IllegalArgumentException(name + ": dimension " + i + " of the header is 0"
            + (i == 0 ? " (no items: input is empty)" : ""));
      }
      if (d < 0) {
        throw new IllegalArgumentException(name + ": dimension " + i + " of the header is "
            + Integer.toUnsignedString(d) + ", too large");
      }
      dims[i] = d;
      size *= d;
      if (size > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(name + ": declares more than " + (Integer.MAX_VALUE
            - 16) + " values " + Arrays.toString(Arrays.copyOf(dims, i + 1))
            + ", too many to read on the driver");
      }
    }
    byte[] data = new byte[(int) size];
    int got = s.readNBytes(data, 0, data.length);
    if (got < data.length) {
      throw new IllegalArgumentException(name + ": truncated: the header declares "
          + Arrays.toString(dims) + " = " + data.length + " values, but the file ends after "
          + got + " of them");
    }
    long extra = 0;
    byte[] rest = new byte[8192];
    int r;
    while ((r = s.read(rest)) > 0) {
      extra += r;
    }
    if (extra > 0) {
      throw new IllegalArgumentException(name + ": " + extra + " unexpected bytes after the "
          + data.length + " values the header declares " + Arrays.toString(dims));
    }
    return new IdxFile(name, dims, data);
  }

  private static String typeName(int type) {
    return switch (type) {
      case 0x09 -> "signed byte";
      case 0x0B -> "short";
      case 0x0C -> "int";
      case 0x0D -> "float";
      case 0x0E -> "double";
      default -> "unknown";
    };
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder("0x");
    for (byte x : b) {
      sb.append(String.format("%02X", x & 0xff));
    }
    return sb.toString();
  }

  private static String oneLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m).trim();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxFile f && file.equals(f.file) && Arrays.equals(dims, f.dims)
        && Arrays.equals(data, f.data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * file.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IdxFile[" + file + ", " + Arrays.toString(dims) + "]";
  }
}
