package io.sparkmlp.jobs.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debian package {@code chromium} headless on a local file: a screenshot, or the DOM after
 * the page's scripts ran. Every run gets a fresh profile directory and no network features, so
 * nothing is fetched and no state is shared between runs.
 */
final class HeadlessChromium {
  /** Where the Debian package installs the browser. */
  static final Path BINARY = Paths.get("/usr/bin/chromium");

  private static final long TIMEOUT_SECONDS = 120;

  private final Path work;
  private final int width;
  private final int height;

  /**
   * A browser with a {@code width} x {@code height} window at device scale 1.
   *
   * @param work a directory for profiles and logs
   */
  HeadlessChromium(Path work, int width, int height) {
    this.work = work;
    this.width = width;
    this.height = height;
  }

  /** Whether the browser is installed. */
  static boolean available() {
    return Files.isExecutable(BINARY);
  }

  /** Writes a PNG screenshot of {@code page} to {@code png}. */
  void screenshot(Path page, Path png) throws IOException, InterruptedException {
    run(page, "--screenshot=" + png.toAbsolutePath());
    if (!Files.isRegularFile(png)) {
      throw new IOException("chromium wrote no screenshot " + png + "; log: " + log());
    }
  }

  /** The serialized DOM of {@code page} after its scripts ran. */
  String dumpDom(Path page) throws IOException, InterruptedException {
    return run(page, "--dump-dom");
  }

  private String log() throws IOException {
    Path err = work.resolve("chromium-stderr.txt");
    return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
  }

  private String run(Path page, String action) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--force-device-scale-factor=1",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + width + "," + height, action,
        page.toAbsolutePath().toUri().toString()));
    Path out = work.resolve("chromium-stdout.txt");
    Path err = work.resolve("chromium-stderr.txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
        .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IOException("chromium did not finish in " + TIMEOUT_SECONDS + " s; log: " + log());
    }
    if (p.exitValue() != 0) {
      throw new IOException("chromium exited with " + p.exitValue() + "; log: " + log());
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
