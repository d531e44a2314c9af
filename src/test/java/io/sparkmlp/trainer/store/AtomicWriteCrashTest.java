package io.sparkmlp.trainer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill at every rename and delete of an {@link AtomicWrite} (simulated by
 * {@link FailingFileSystem}'s {@code crash:<n>}, after which no cleanup code runs): the complete
 * old or the complete new output survives, and the next write or {@link AtomicWrite#recover}
 * puts it at the final name and removes every leftover.
 */
class AtomicWriteCrashTest {
  private static final Map<String, String> OLD = Map.of("a.txt", "old a", "b.txt", "old b");
  private static final Map<String, String> NEW = Map.of("a.txt", "new a", "c.txt", "new c");

  @TempDir java.nio.file.Path dir;

  private final FileSystem healthy = healthy();

  private static FileSystem healthy() {
    RawLocalFileSystem fs = new RawLocalFileSystem();
    try {
      fs.initialize(java.net.URI.create("file:///"), new Configuration());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return fs;
  }

  private static FileSystem failing(String mode) throws IOException {
    return FileSystem.get(java.net.URI.create("failing:///"), FailingFileSystem.conf(mode));
  }

  private static AtomicWrite.Content directory(FileSystem fs, Map<String, String> files) {
    return tmp -> {
      fs.mkdirs(tmp);
      for (Map.Entry<String, String> e : files.entrySet()) {
        try (OutputStream out = fs.create(new Path(tmp, e.getKey()), false)) {
          out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        }
      }
    };
  }

  /** The files of a directory, name to content. */
  private static Map<String, String> read(java.nio.file.Path d) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<java.nio.file.Path> s = Files.list(d)) {
      for (java.nio.file.Path f : s.toList()) {
        m.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    return m;
  }

  private static List<String> names(java.nio.file.Path d) throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private Path target(String name) {
    return new Path(FailingFileSystem.uri(dir.resolve(name)));
  }

  /** The renames and deletes of one undisturbed replace of a directory. */
  private int mutationsOfAReplace() throws IOException {
    FileSystem fs = failing("none");
    AtomicWrite.write(fs, target("probe"), "test", AtomicWrite.ALWAYS, directory(fs, OLD));
    int before = ((FailingFileSystem) fs).mutations();
    AtomicWrite.write(fs, target("probe"), "test", AtomicWrite.ALWAYS, directory(fs, NEW));
    return ((FailingFileSystem) fs).mutations() - before;
  }

  @Test
  void aKillAtEveryRenameAndDeleteOfAReplaceLeavesTheOldOrTheNewWhole() throws IOException {
    int steps = mutationsOfAReplace();
    assertEquals(5, steps, "old aside, new in, old renamed for deletion, deleted, lock deleted");
    for (int step = 1; step <= steps; step++) {
      final int n = step;
      java.nio.file.Path out = dir.resolve("out" + n);
      FileSystem setup = failing("none");
      AtomicWrite.write(setup, target("out" + n), "test", AtomicWrite.ALWAYS,
          directory(setup, OLD));
      FileSystem crashing = failing("crash:" + n);
      assertThrows(FailingFileSystem.Crash.class, () -> AtomicWrite.write(crashing,
          target("out" + n), "test", AtomicWrite.ALWAYS, directory(crashing, NEW)), "step " + n);

      // at the kill: the old or the new is whole at the final name, or the old one set aside
      boolean whole = Files.isDirectory(out) && (read(out).equals(new TreeMap<>(OLD))
          || read(out).equals(new TreeMap<>(NEW)));
      boolean aside = names(dir).stream().filter(s -> s.startsWith(".out" + n + ".old-"))
          .anyMatch(s -> {
            try {
              return read(dir.resolve(s)).equals(new TreeMap<>(OLD));
            } catch (IOException e) {
              throw new AssertionError(e);
            }
          });
      assertTrue(whole || aside, "step " + n + ": " + names(dir));
      for (String s : names(dir)) {
        if (s.startsWith(".out" + n + ".old-")) {
          assertEquals(new TreeMap<>(OLD), read(dir.resolve(s)), "a set-aside output is whole");
        }
      }
      if (!whole) {
        // what a reader sees: the old one put back at the final name (the writer is dead)
        Path readable = AtomicWrite.readable(healthy,
            new Path("file://" + dir.resolve("out" + n)), "test");
        assertEquals(new Path("file://" + out), readable, "step " + n);
        assertEquals(new TreeMap<>(OLD), read(out), "step " + n);
      }

      AtomicWrite.recover(healthy, new Path("file://" + dir.resolve("out" + n)), "test");
      Map<String, String> now = read(out);
      assertTrue(now.equals(new TreeMap<>(OLD)) || now.equals(new TreeMap<>(NEW)),
          "step " + n + ": " + now);
      assertEquals(n <= 2 ? new TreeMap<>(OLD) : new TreeMap<>(NEW), now, "step " + n);
      assertEquals(List.of(), names(dir).stream().filter(s -> s.startsWith(".out" + n)).toList(),
          "no leftovers after step " + n);
    }
  }

  @Test
  void aFileReplacingAFileIsOneRenameAndTheFinalNameIsNeverMissing() throws IOException {
    FileSystem setup = failing("none");
    AtomicWrite.write(setup, target("f.json"), "test", AtomicWrite.ALWAYS, file(setup, "old"));
    int before = ((FailingFileSystem) setup).mutations();
    AtomicWrite.write(setup, target("f.json"), "test", AtomicWrite.ALWAYS, file(setup, "new"));
    assertEquals(2, ((FailingFileSystem) setup).mutations() - before, "rename over, lock deleted");
    assertEquals("new", Files.readString(dir.resolve("f.json")));

    FileSystem crashing = failing("crash:1");
    assertThrows(FailingFileSystem.Crash.class, () -> AtomicWrite.write(crashing,
        target("f.json"), "test", AtomicWrite.ALWAYS, file(crashing, "newer")));
    assertEquals("new", Files.readString(dir.resolve("f.json")), "killed at the rename");
    AtomicWrite.recover(healthy, new Path("file://" + dir.resolve("f.json")), "test");
    assertEquals(List.of("f.json"), names(dir));
  }

  private static AtomicWrite.Content file(FileSystem fs, String text) {
    return tmp -> {
      try (OutputStream out = fs.create(tmp, false)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  @Test
  void aReaderDuringALiveReplaceWaitsForTheNewOutputAtTheFinalName() throws Exception {
    FileSystem setup = failing("none");
    AtomicWrite.write(setup, target("r"), "test", AtomicWrite.ALWAYS, directory(setup, OLD));
    FailingFileSystem.PAUSE = new java.util.concurrent.CountDownLatch(1);
    FailingFileSystem.PAUSED = new java.util.concurrent.CountDownLatch(1);
    FileSystem pausing = failing("pause:2"); // before renaming the new one in
    Thread writer = new Thread(() -> {
      try {
        AtomicWrite.write(pausing, target("r"), "test", AtomicWrite.ALWAYS,
            directory(pausing, NEW));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    writer.start();
    assertTrue(FailingFileSystem.PAUSED.await(30, java.util.concurrent.TimeUnit.SECONDS));
    assertTrue(!Files.exists(dir.resolve("r")), "the writer is between its renames");
    Thread release = new Thread(() -> {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      FailingFileSystem.PAUSE.countDown();
    });
    release.start();
    Path readable = AtomicWrite.readable(healthy, new Path("file://" + dir.resolve("r")), "test");
    assertEquals(new Path("file://" + dir.resolve("r")), readable);
    assertEquals(new TreeMap<>(NEW), read(dir.resolve("r")));
    writer.join(30_000);
    release.join();
    assertEquals(List.of("r"), names(dir));
  }

  @Test
  void theNextWriteRecoversAnInterruptedReplaceAndTakesOverItsLock() throws IOException {
    FileSystem setup = failing("none");
    AtomicWrite.write(setup, target("m"), "test", AtomicWrite.ALWAYS, directory(setup, OLD));
    FileSystem crashing = failing("crash:2"); // killed between the two renames
    assertThrows(FailingFileSystem.Crash.class, () -> AtomicWrite.write(crashing, target("m"),
        "test", AtomicWrite.ALWAYS, directory(crashing, NEW)));
    assertTrue(Files.exists(dir.resolve(".m.lock")), "a killed write leaves its lock");
    assertTrue(!Files.exists(dir.resolve("m")), "killed between the renames: " + names(dir));

    FileSystem fs = failing("none");
    AtomicWrite.write(fs, target("m"), "test", existing -> {
      assertEquals(new TreeMap<>(OLD), read(dir.resolve("m")), "the old one is back first");
    }, directory(fs, Map.of("x.txt", "x")));
    assertEquals(Map.of("x.txt", "x"), read(dir.resolve("m")));
    assertEquals(List.of("m"), names(dir));
  }

  @Test
  void aKillWhileWritingTheContentLeavesTheOldOneAndTheTemporaryIsRemovedLater()
      throws IOException {
    FileSystem setup = failing("none");
    AtomicWrite.write(setup, target("f"), "test", AtomicWrite.ALWAYS, directory(setup, OLD));
    FileSystem crashing = failing("none");
    assertThrows(FailingFileSystem.Crash.class, () -> AtomicWrite.write(crashing, target("f"),
        "test", AtomicWrite.ALWAYS, tmp -> {
          directory(crashing, NEW).writeTo(tmp);
          ((FailingFileSystem) crashing).kill();
          throw new FailingFileSystem.Crash("killed while writing");
        }));
    assertEquals(new TreeMap<>(OLD), read(dir.resolve("f")));
    assertEquals(1, names(dir).stream().filter(n -> n.startsWith(".f.tmp-")).count());
    AtomicWrite.recover(healthy, new Path("file://" + dir.resolve("f")), "test");
    assertEquals(List.of("f"), names(dir));
  }
}
