package io.sparkmlp.jobs.export;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes one file atomically on any Hadoop file system (local paths included): the bytes go to a
 * hidden temporary sibling ({@code .<name>.tmp-<uuid>}), which is renamed to the target once
 * complete and deleted on failure. An existing target is refused unless {@code overwrite}, and a
 * directory is never replaced. On the local file system the rename replaces an existing file
 * atomically; on file systems whose rename does not replace files (HDFS) the old file is deleted
 * just before the rename.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Writes {@code bytes} to {@code path}.
   *
   * @param path       the target file (any Hadoop URI or a local path); its parent must exist
   * @param bytes      the content
   * @param overwrite  whether an existing file may be replaced
   * @param hadoopConf resolves the file system
   * @throws IllegalArgumentException if the target exists and {@code overwrite} is false, or it is
   *     a directory
   * @throws FileNotFoundException    if the parent directory does not exist
   * @throws IOException              if writing or renaming fails; no temporary file is left
   */
  public static void write(String path, byte[] bytes, boolean overwrite, Configuration hadoopConf)
      throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    Path raw = new Path(path);
    FileSystem fs = raw.getFileSystem(hadoopConf);
    if (fs instanceof LocalFileSystem local) {
      fs = local.getRawFileSystem(); // no .crc side files
    }
    Path target = fs.makeQualified(raw);
    Path parent = target.getParent();
    if (parent == null) {
      throw new IllegalArgumentException(path + ": cannot write a file as a root directory");
    }
    if (!fs.exists(parent) || !fs.getFileStatus(parent).isDirectory()) {
      throw new FileNotFoundException(path + ": the directory " + parent + " does not exist");
    }
    checkTarget(fs, target, path, overwrite);
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + UUID.randomUUID());
    boolean done = false;
    try {
      try (OutputStream out = fs.create(tmp, false)) {
        out.write(bytes);
      }
      checkTarget(fs, target, path, overwrite);
      // replaces an existing file in one step where the file system can (local: rename(2));
      // elsewhere (HDFS refuses to rename onto a file) the old file is deleted first
      if (!fs.rename(tmp, target)) {
        if (!fs.exists(target) || !fs.delete(target, false) || !fs.rename(tmp, target)) {
          throw new IOException(path + ": cannot rename " + tmp + " to it");
        }
      }
      done = true;
    } finally {
      if (!done) {
        try {
          fs.delete(tmp, false);
        } catch (IOException ignored) {
          // the original failure is what matters; a leftover hidden temporary file is harmless
        }
      }
    }
  }

  private static void checkTarget(FileSystem fs, Path target, String path, boolean overwrite)
      throws IOException {
    FileStatus st;
    try {
      st = fs.getFileStatus(target);
    } catch (FileNotFoundException e) {
      return;
    }
    if (st.isDirectory()) {
      throw new IllegalArgumentException(path + ": is a directory, not a file");
    }
    if (!overwrite) {
      throw new IllegalArgumentException(path + ": output already exists (use --overwrite to "
          + "replace it)");
    }
  }
}
