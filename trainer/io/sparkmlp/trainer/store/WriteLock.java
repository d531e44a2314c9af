package io.sparkmlp.trainer.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on one output path, held by {@link AtomicWrite} for the whole of a write: the
 * hidden file {@code .<name>.lock} next to the target, created atomically (an {@code O_EXCL}
 * create on local disks, a create without overwrite on HDFS) and holding its owner
 * ({@code host pid id}). A second writer of the same path fails at once with a message naming the
 * lock instead of mixing its output with the first one's.
 *
 * <p>A lock whose owner is gone (a crashed run) is taken over with a log line: on the same host,
 * when the owning process is no longer alive, or, within this JVM, when no write holds it any
 * more. A lock of another host is never taken over: the message says to delete it if no run is
 * writing.
 */
final class WriteLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteLock.class);

  /** The ids of the locks held by writes of this JVM. */
  private static final Set<String> HELD = ConcurrentHashMap.newKeySet();

  /** Locks whose content is still empty after this long are taken to be abandoned. */
  private static final long EMPTY_LOCK_GRACE_MS = 10_000;

  private final FileSystem fs;
  private final Path file;
  private final String id;

  private WriteLock(FileSystem fs, Path file, String id) {
    this.fs = fs;
    this.file = file;
    this.id = id;
  }

  /** The lock file of {@code target}: {@code .<name>.lock} in the same directory. */
  static Path lockFile(Path target) {
    return new Path(target.getParent(), "." + target.getName() + ".lock");
  }

  /**
   * Takes the lock of {@code target}, whose parent directory must exist.
   *
   * @param what what is written, for messages
   * @throws ConcurrentWriteException if another live write holds it
   * @throws IOException if the lock file cannot be created
   */
  static WriteLock acquire(FileSystem fs, Path target, String what) throws IOException {
    FileSystem lockFs = fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    Path file = lockFile(target);
    String id = UUID.randomUUID().toString();
    String owner = host() + " " + ProcessHandle.current().pid() + " " + id;
    HELD.add(id);
    try {
      if (create(lockFs, file, owner)) {
        return new WriteLock(lockFs, file, id);
      }
      String holder = read(lockFs, file);
      if (holder != null && abandoned(lockFs, file, holder)) {
        LOG.warn("Removing the lock {} of an interrupted write ({})", file,
            holder.isEmpty() ? "empty" : holder);
        lockFs.delete(file, false);
        if (create(lockFs, file, owner)) {
          return new WriteLock(lockFs, file, id);
        }
        holder = read(lockFs, file);
      }
      throw new ConcurrentWriteException(target + ": another spark-mlp run is writing this "
          + what + " (lock " + file + (holder == null || holder.isEmpty() ? ""
              : " held by process " + holder.replaceFirst(" [^ ]*$", "").replace(' ', ':'))
          + "); if no run is, delete the lock file");
    } catch (IOException | RuntimeException | Error e) {
      HELD.remove(id);
      throw e;
    }
  }

  /** Releases the lock: deletes the lock file if it is still this write's. */
  @Override
  public void close() throws IOException {
    HELD.remove(id);
    String holder = read(fs, file);
    if (holder != null && holder.endsWith(" " + id)) {
      fs.delete(file, false);
    }
  }

  /** Creates {@code file} holding {@code owner}; false if it exists. */
  private static boolean create(FileSystem fs, Path file, String owner) throws IOException {
    byte[] bytes = (owner + "\n").getBytes(StandardCharsets.UTF_8);
    if (fs instanceof RawLocalFileSystem raw) {
      try {
        Files.write(raw.pathToFile(file).toPath(), bytes, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /** The owner line of {@code file}, empty if it has none yet, null if it is gone. */
  private static String read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readNBytes(1024), StandardCharsets.UTF_8).strip();
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /** Whether the owner of a lock is gone (see the class comment). */
  private static boolean abandoned(FileSystem fs, Path file, String holder) throws IOException {
    if (holder.isEmpty()) {
      try {
        long age = System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime();
        return age > EMPTY_LOCK_GRACE_MS;
      } catch (FileNotFoundException e) {
        return true;
      }
    }
    String[] parts = holder.split(" ");
    if (parts.length != 3 || !parts[0].equals(host())) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return false;
    }
    if (pid == ProcessHandle.current().pid()) {
      return !HELD.contains(parts[2]);
    }
    return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
