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
 * {@code rename-tmp} makes renaming a temporary directory ({@code .tmp-}) return false.
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
    if (("create:" + f.getName()).equals(getConf().get(FAIL_ON))) {
      throw new IOException("injected failure creating " + f);
    }
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    if ("rename-tmp".equals(getConf().get(FAIL_ON)) && src.getName().contains(".tmp-")) {
      return false;
    }
    return super.rename(src, dst);
  }
}
