package io.sparkmlp.trainer.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local file system under the scheme {@code failing://}, with one injected fault chosen by the
 * configuration key {@value #FAIL_ON}: {@code create:<file name>} makes creating that file fail;
 * {@code rename-tmp} makes renaming a temporary directory ({@code .tmp-}) return false;
 * {@code appear-on-rename} creates a directory with one file at the destination just before a
 * temporary is renamed (another process writing the same path); {@code crash:<n>} simulates a
 * kill at the n-th rename or delete (1-based; a recursive delete of a directory first deletes one
 * of its files): that operation and every later call throw {@link Crash}, so no cleanup runs;
 * {@code pause:<n>} blocks before the n-th rename or delete until {@link #PAUSE} is released
 * (another process reading while a write is in progress; {@link #PAUSED} is released on
 * arrival). {@link #mutations()} counts the renames and deletes done.
 */
public class FailingFileSystem extends RawLocalFileSystem {

  /** Configuration key selecting the fault. */
  static final String FAIL_ON = "failing.fail-on";

  private static final URI NAME = URI.create("failing:///");

  /** A configuration that maps {@code failing://} to this class with the given fault. */
  static Configuration conf(String failOn) {
    Configuration conf = new Configuration();
    conf.set("fs.failing.impl", FailingFileSystem.class.getName());
    conf.setBoolean("fs.failing.impl.disable.cache", true);
    conf.set(FAIL_ON, failOn);
    return conf;
  }

  /** The local path {@code p} as a {@code failing://} URI string. */
  static String uri(java.nio.file.Path p) {
    return "failing://" + p.toAbsolutePath();
  }

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return "failing";
  }

  @Override
  protected OutputStream createOutputStream(Path f, boolean append) throws IOException {
    failOnCreate(f);
    return super.createOutputStream(f, append);
  }

  @Override
  protected OutputStream createOutputStreamWithMode(Path f, boolean append,
      FsPermission permission) throws IOException {
    failOnCreate(f);
    return super.createOutputStreamWithMode(f, append, permission);
  }

  private void failOnCreate(Path f) throws IOException {
    alive();
    if (("create:" + f.getName()).equals(getConf().get(FAIL_ON))) {
      throw new IOException("injected failure creating " + f);
    }
  }

  /** The simulated kill of the process: escapes every catch of IOException or RuntimeException. */
  static final class Crash extends Error {
    private static final long serialVersionUID = 1L;

    Crash(String message) {
      super(message);
    }
  }

  /** Released by a test to let a write paused by {@code pause:<n>} go on. */
  static volatile java.util.concurrent.CountDownLatch PAUSE;

  /** Released when a write reaches its {@code pause:<n>} point. */
  static volatile java.util.concurrent.CountDownLatch PAUSED;

  private int mutations;
  private boolean dead;

  /** The renames and deletes done so far (including the one that crashed). */
  int mutations() {
    return mutations;
  }

  /** Kills the process now: every later call throws {@link Crash}. */
  void kill() {
    dead = true;
  }

  private void alive() {
    if (dead) {
      throw new Crash("the process is dead");
    }
  }

  /** Counts a rename or delete; crashes if it is the configured one. */
  private boolean crashesNow() {
    alive();
    mutations++;
    String mode = getConf().get(FAIL_ON, "");
    if (mode.equals("pause:" + mutations)) {
      PAUSED.countDown();
      try {
        PAUSE.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return mode.equals("crash:" + mutations);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    if (crashesNow()) {
      dead = true;
      throw new Crash("killed before renaming " + src + " to " + dst);
    }
    if ("rename-tmp".equals(getConf().get(FAIL_ON)) && src.getName().contains(".tmp-")) {
      return false;
    }
    if ("appear-on-rename".equals(getConf().get(FAIL_ON)) && src.getName().contains(".tmp-")) {
      super.mkdirs(dst);
      try (OutputStream out = super.create(new Path(dst, "foreign.txt"), false)) {
        out.write('x');
      }
    }
    return super.rename(src, dst);
  }

  @Override
  public boolean delete(Path p, boolean recursive) throws IOException {
    if (crashesNow()) {
      dead = true;
      if (recursive && super.getFileStatus(p).isDirectory()) {
        for (org.apache.hadoop.fs.FileStatus st : super.listStatus(p)) {
          if (st.isFile()) {
            super.delete(st.getPath(), false);
            break;
          }
        }
      }
      throw new Crash("killed while deleting " + p);
    }
    return super.delete(p, recursive);
  }

  @Override
  public org.apache.hadoop.fs.FileStatus getFileStatus(Path p) throws IOException {
    alive();
    return super.getFileStatus(p);
  }

  @Override
  public org.apache.hadoop.fs.FileStatus[] listStatus(Path p) throws IOException {
    alive();
    return super.listStatus(p);
  }

  @Override
  public boolean mkdirs(Path p, FsPermission permission) throws IOException {
    alive();
    return super.mkdirs(p, permission);
  }

  @Override
  public org.apache.hadoop.fs.FSDataInputStream open(Path p, int bufferSize) throws IOException {
    alive();
    return super.open(p, bufferSize);
  }
}
