package io.sparkmlp.trainer.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way spark-mlp writes an output (a file or a directory) on any Hadoop file system: the
 * content is written to a hidden temporary sibling {@code .<name>.tmp-<uuid>} and then committed
 * under the target's name, so readers never see a partial output. An existing target is replaced
 * only if the caller's {@link ReplaceCheck} allows it, and crash-safely: it is first renamed aside
 * to {@code .<name>.old-<uuid>}, the new output renamed in, and only then the old one deleted; if
 * the second rename fails the old one is put back. The temporary is deleted on any failure. (On
 * HDFS and local disks a rename is atomic; on object stores such as S3A it is a copy.)
 *
 * <p>Used for model directories, training checkpoints, metrics, and (through
 * {@code jobs.data.DatasetOutput}) predictions and generated data.
 */
public final class AtomicWrite {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicWrite.class);

  private AtomicWrite() {}

  /** Writes the new content at a temporary path (a file, or a directory it creates). */
  @FunctionalInterface
  public interface Content {
    /** Writes everything to {@code tmp}. */
    void writeTo(Path tmp) throws IOException;
  }

  /** Decides, when committing, whether an existing target may be replaced. */
  @FunctionalInterface
  public interface ReplaceCheck {
    /**
     * Returns normally to allow replacing {@code existing}; throws to refuse.
     *
     * @throws IOException naming why the target is kept
     */
    void check(Path existing) throws IOException;
  }

  /** Replaces any existing target. */
  public static final ReplaceCheck ALWAYS = existing -> { };

  /**
   * Writes {@code content} and commits it as {@code target}.
   *
   * @param fs      the file system of {@code target}
   * @param target  the qualified output path; its parent is created if needed
   * @param what    what is written, for messages (e.g. {@code model})
   * @param replace whether an existing target may be replaced, asked when committing
   * @throws IOException if writing, the check or a rename fails; the message says where a replaced
   *     output is if it could not be put back
   * @throws IllegalArgumentException if {@code target} is a root directory
   */
  public static void write(FileSystem fs, Path target, String what, ReplaceCheck replace,
      Content content) throws IOException {
    Path parent = target.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("cannot write " + what + " to the root directory "
          + target);
    }
    String id = UUID.randomUUID().toString();
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + id);
    try {
      content.writeTo(tmp);
      commit(fs, tmp, target, what, replace, new Path(parent, "." + target.getName() + ".old-" + id));
    } catch (Throwable t) {
      try {
        if (fs.exists(tmp) && !fs.delete(tmp, true)) {
          t.addSuppressed(new IOException("could not delete temporary " + tmp));
        }
      } catch (IOException | RuntimeException cleanup) {
        t.addSuppressed(cleanup);
      }
      throw t;
    }
  }

  /** Whether {@code name} is one of this class's hidden temporary or set-aside names. */
  public static boolean isLeftover(String name) {
    return name.startsWith(".") && (name.contains(".tmp-") || name.contains(".old-"));
  }

  /**
   * Writes {@code text} (UTF-8) as the file {@code path}, replacing an existing one.
   *
   * @throws IOException if writing or the rename fails
   */
  public static void text(String path, String text, Configuration hadoopConf) throws IOException {
    file(path, text.getBytes(StandardCharsets.UTF_8), ALWAYS, hadoopConf);
  }

  /**
   * Writes {@code bytes} as the file {@code path} (its parent is created if needed). On local
   * disks Hadoop's checksum layer is bypassed, so no {@code .crc} side file appears next to a
   * user-facing file.
   *
   * @param replace whether an existing target may be replaced
   * @throws IOException if writing, the check or the rename fails; nothing is left behind
   */
  public static void file(String path, byte[] bytes, ReplaceCheck replace,
      Configuration hadoopConf) throws IOException {
    Path target = new Path(path);
    FileSystem qualifying = target.getFileSystem(hadoopConf);
    target = qualifying.makeQualified(target);
    FileSystem fs = qualifying instanceof LocalFileSystem local ? local.getRawFileSystem()
        : qualifying;
    if (target.getParent() != null) {
      fs.mkdirs(target.getParent());
    }
    write(fs, target, "file", replace, tmp -> {
      try (OutputStream os = fs.create(tmp, false)) {
        os.write(bytes);
      }
    });
  }

  /** Moves the finished temporary to {@code target}, replacing it if {@code replace} allows. */
  private static void commit(FileSystem fs, Path tmp, Path target, String what,
      ReplaceCheck replace, Path aside) throws IOException {
    if (!exists(fs, target)) {
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      return;
    }
    replace.check(target);
    if (!fs.rename(target, aside)) {
      throw new IOException("cannot move the existing " + target + " aside to " + aside);
    }
    boolean moved;
    try {
      moved = fs.rename(tmp, target);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot rename " + tmp + " to " + target + ": " + e.getMessage() + "; "
          + restore(fs, aside, target, what), e);
    }
    if (!moved) {
      throw new IOException("cannot rename " + tmp + " to " + target + "; "
          + restore(fs, aside, target, what));
    }
    try {
      if (!fs.delete(aside, true)) {
        LOG.warn("Replaced {} but could not delete the previous {} at {}", target, what, aside);
      }
    } catch (IOException | RuntimeException e) {
      // the new output is in place: a leftover copy of the old one is not a failed write
      LOG.warn("Replaced {} but could not delete the previous {} at {}", target, what, aside, e);
    }
  }

  private static boolean exists(FileSystem fs, Path p) throws IOException {
    try {
      fs.getFileStatus(p);
      return true;
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  /** Puts the previous output back after a failed replacement; says where it is. */
  private static String restore(FileSystem fs, Path aside, Path target, String what) {
    try {
      if (fs.rename(aside, target)) {
        return "the previous " + what + " was put back";
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("Could not move the previous {} back from {} to {}", what, aside, target, e);
    }
    return "the previous " + what + " is left at " + aside;
  }
}
