package io.sparkmlp.trainer.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way spark-mlp writes an output (a file or a directory) on any Hadoop file system: the
 * content is written to a hidden temporary sibling {@code .<name>.tmp-<uuid>} and then committed
 * under the target's name, so readers never see a partial output. An existing target is replaced
 * only if the caller's {@link ReplaceCheck} allows it.
 *
 * <p>The replace protocol keeps this invariant: <b>at every instant, the final name holds the
 * complete old or the complete new output, or (only between two renames of a directory replace)
 * the final name is missing and a {@code .<name>.old-<uuid>} sibling holds the complete old
 * one.</b> A {@code .old-*} sibling is never partial: what is being deleted is first renamed to
 * {@code .<name>.del-<uuid>}.
 * <ol>
 *   <li>The new output is written in full to {@code .<name>.tmp-<id>}.</li>
 *   <li>A file replacing a file is renamed over it in one step where the file system replaces
 *       atomically (local disks: POSIX {@code rename}); the old file is then never missing.</li>
 *   <li>Otherwise (directories, or a file system whose rename refuses an existing destination):
 *       the old output is renamed to {@code .<name>.old-<id>}, the new one renamed in, the old one
 *       renamed to {@code .<name>.del-<id>} and deleted. If the second rename fails, the old one is
 *       put back.</li>
 * </ol>
 * (On HDFS and local disks a rename is atomic; on object stores such as S3A it is a copy.)
 *
 * <p>Readers go through {@link #readable}: a final name that is missing while a whole
 * {@code .old-*} sibling exists is put back (the writer was killed) or awaited (a live writer is
 * between its two renames), so spark-mlp's readers (model loads, input data) always read the old
 * or the new output whole at the final name.
 *
 * <p>A write holds the path's {@link WriteLock} from start to end, so a concurrent write of the
 * same path fails at once with {@link ConcurrentWriteException}, and a target that appears from
 * elsewhere while writing is detected (Hadoop's rename would move the temporary <em>into</em> an
 * existing directory) and refused. Under the lock, the leftovers of an interrupted write of the
 * same path are {@linkplain #recover recovered} first: a set-aside {@code .old-*} without a
 * target is renamed back, other {@code .tmp-*}, {@code .old-*} and {@code .del-*} siblings are
 * deleted, each with a log line. A process killed at any point of a write therefore leaves the
 * complete old or the complete new output, under the final name or (between the two renames) set
 * aside, where the next write, {@link #recover}, {@link #readable} or early output check of that
 * path puts it back.
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

  /** How long {@link #readable} waits for a live writer between its two renames. */
  private static final long READ_WAIT_MS = 30_000;

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
    if (!fs.mkdirs(parent)) {
      throw new IOException("cannot create the directory " + parent + " of " + target);
    }
    String id = UUID.randomUUID().toString();
    Path tmp = new Path(parent, "." + target.getName() + ".tmp-" + id);
    try (WriteLock lock = WriteLock.acquire(fs, target, what)) {
      recoverLocked(fs, target, what);
      try {
        content.writeTo(tmp);
        commit(fs, tmp, target, what, replace, id);
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
  }

  /**
   * Puts back or removes what an interrupted write of {@code target} left: if {@code target} is
   * missing, the newest set-aside {@code .<name>.old-*} is renamed back to it; every other
   * {@code .<name>.tmp-*}, {@code .<name>.old-*} and {@code .<name>.del-*} sibling is deleted.
   * Each action is logged.
   * Takes the path's lock, so a write in progress is left alone.
   *
   * @param fs     the file system of {@code target}
   * @param target the qualified output path
   * @param what   what is written there, for messages (e.g. {@code model})
   * @throws ConcurrentWriteException if another write of {@code target} is in progress
   * @throws IOException if listing, renaming or deleting fails
   */
  public static void recover(FileSystem fs, Path target, String what) throws IOException {
    Path parent = target.getParent();
    if (parent == null || !exists(fs, parent) || !fs.getFileStatus(parent).isDirectory()) {
      return;
    }
    try (WriteLock lock = WriteLock.acquire(fs, target, what)) {
      recoverLocked(fs, target, what);
    }
  }

  /** {@link #recover} with the lock held. */
  private static void recoverLocked(FileSystem fs, Path target, String what) throws IOException {
    FileStatus[] found = leftovers(fs, target, "tmp|old|del");
    if (found.length == 0) {
      return;
    }
    boolean present = exists(fs, target);
    for (FileStatus st : found) {
      Path p = st.getPath();
      if (!present && p.getName().startsWith("." + target.getName() + ".old-")) {
        if (!fs.rename(p, target)) {
          throw new IOException("cannot move the previous " + what + " back from " + p + " to "
              + target);
        }
        present = true;
        LOG.warn("Recovered the {} {} from {}, set aside by an interrupted replace", what,
            target, p);
      } else {
        if (!fs.delete(p, true) && exists(fs, p)) {
          throw new IOException("cannot delete " + p + ", left by an interrupted write of "
              + target);
        }
        LOG.warn("Removed {}, left by an interrupted write of the {} {}", p, what, target);
      }
    }
  }

  /** The siblings {@code .<name>.<kind>-<uuid>} of {@code target}, newest first. */
  private static FileStatus[] leftovers(FileSystem fs, Path target, String kinds)
      throws IOException {
    Pattern leftover = Pattern.compile(
        "\\." + Pattern.quote(target.getName()) + "\\.(" + kinds + ")-[0-9a-f-]{36}");
    FileStatus[] found = fs.listStatus(target.getParent(),
        p -> leftover.matcher(p.getName()).matches());
    Arrays.sort(found, Comparator.comparingLong(FileStatus::getModificationTime).reversed()
        .thenComparing(st -> st.getPath().getName()));
    return found;
  }

  /**
   * The path to read the output {@code target} from. Normally {@code target} itself. If it is
   * missing while a whole set-aside {@code .<name>.old-*} exists (a replace was killed, or a live
   * writer is between its two renames), the old output is {@linkplain #recover put back} (logged),
   * or, while a live writer holds the lock, the final name is awaited (up to 30 s; the writer
   * renames the new output in or the old one back). Where the set-aside output cannot be put back
   * (a read-only location, or the writer does not finish), it is returned itself: it is complete.
   * A missing {@code target} with nothing set aside is returned as is, for the caller to report.
   *
   * @param fs     the file system of {@code target}
   * @param target the qualified output path
   * @param what   what is read, for log lines (e.g. {@code model})
   * @return {@code target}, or the set-aside output to read instead
   * @throws IOException if the file system cannot be listed
   */
  public static Path readable(FileSystem fs, Path target, String what) throws IOException {
    Path parent = target.getParent();
    if (exists(fs, target) || parent == null || !exists(fs, parent)
        || !fs.getFileStatus(parent).isDirectory()) {
      return target;
    }
    long deadline = System.nanoTime() + READ_WAIT_MS * 1_000_000L;
    boolean waitLogged = false;
    while (true) {
      FileStatus[] aside = leftovers(fs, target, "old");
      if (aside.length == 0) {
        return target; // nothing set aside (or the writer has just finished: checked below)
      }
      try {
        recover(fs, target, what);
      } catch (ConcurrentWriteException e) {
        if (!waitLogged) {
          LOG.info("Waiting for the {} {}: another run is replacing it", what, target);
          waitLogged = true;
        }
      } catch (IOException e) {
        LOG.warn("Reading the {} {} from {}, where an interrupted replace set it aside (cannot "
            + "put it back: {})", what, target, aside[0].getPath(), e.getMessage());
        return aside[0].getPath();
      }
      if (exists(fs, target)) {
        return target;
      }
      if (System.nanoTime() > deadline) {
        LOG.warn("Reading the {} {} from {}, where a replace still in progress set it aside",
            what, target, aside[0].getPath());
        return aside[0].getPath();
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for " + target);
      }
    }
  }

  /** Whether {@code name} is one of this class's hidden temporary or set-aside names. */
  public static boolean isLeftover(String name) {
    return name.startsWith(".")
        && (name.contains(".tmp-") || name.contains(".old-") || name.contains(".del-"));
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
      ReplaceCheck replace, String id) throws IOException {
    FileStatus existing = statusOrNull(fs, target);
    if (existing == null) {
      boolean moved = fs.rename(tmp, target);
      refuseNested(fs, tmp, target, what, "");
      if (!moved) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      return;
    }
    replace.check(target);
    if (existing.isFile() && fs.getFileStatus(tmp).isFile() && renameOverFile(fs, tmp, target)) {
      return;
    }
    Path parent = target.getParent();
    Path aside = new Path(parent, "." + target.getName() + ".old-" + id);
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
    refuseNested(fs, tmp, target, what, "; the previous " + what + " is left at " + aside);
    if (!moved) {
      throw new IOException("cannot rename " + tmp + " to " + target + "; "
          + restore(fs, aside, target, what));
    }
    // the new output is in place: a leftover copy of the old one is not a failed write (the next
    // write of the path removes it)
    Path deleting = new Path(parent, "." + target.getName() + ".del-" + id);
    try {
      if (!fs.rename(aside, deleting) || !fs.delete(deleting, true)) {
        LOG.warn("Replaced {} but could not delete the previous {} at {}", target, what, aside);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Replaced {} but could not delete the previous {} at {}", target, what, aside, e);
    }
  }

  /**
   * Renames the file {@code tmp} over the existing file {@code target} in one step, where the file
   * system replaces a file atomically (local disks); false, with {@code target} untouched, where
   * it refuses an existing destination (HDFS, object stores).
   */
  private static boolean renameOverFile(FileSystem fs, Path tmp, Path target) throws IOException {
    try {
      if (!fs.rename(tmp, target)) {
        return false;
      }
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
    if (exists(fs, tmp)) {
      throw new IOException("renaming " + tmp + " to " + target + " left the temporary behind");
    }
    return true;
  }

  /**
   * Hadoop renames a directory <em>into</em> a directory that exists at the destination: if
   * {@code target} appeared from elsewhere just before the rename, the temporary is now nested in
   * it. Moves it back out (the caller deletes it) and refuses.
   */
  private static void refuseNested(FileSystem fs, Path tmp, Path target, String what,
      String note) throws IOException {
    Path nested = new Path(target, tmp.getName());
    if (!exists(fs, nested)) {
      return;
    }
    if (!fs.rename(nested, tmp)) {
      fs.delete(nested, true);
    }
    throw new ConcurrentWriteException(target + ": appeared while this " + what
        + " was written (another process wrote it); nothing was replaced" + note);
  }

  private static FileStatus statusOrNull(FileSystem fs, Path p) throws IOException {
    try {
      return fs.getFileStatus(p);
    } catch (FileNotFoundException e) {
      return null;
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
