package io.sparkmlp.trainer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one path: the first wins whole, the second fails at once naming the path and
 * the lock; a target that appears from another process while writing is refused, never nested.
 */
class AtomicWriteConcurrencyTest {
  @TempDir java.nio.file.Path dir;

  private static AtomicWrite.Content file(FileSystem fs, String name, String text) {
    return tmp -> {
      fs.mkdirs(tmp);
      try (OutputStream out = fs.create(new Path(tmp, name), false)) {
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    };
  }

  private static List<String> names(java.nio.file.Path d) throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSecondWriterOfTheSamePathFailsClearlyAndTheFirstWinsWhole() throws Exception {
    FileSystem fs = FileSystem.get(java.net.URI.create("failing:///"),
        FailingFileSystem.conf("none"));
    Path target = new Path(FailingFileSystem.uri(dir.resolve("model")));
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> first = pool.submit(() -> {
        AtomicWrite.write(fs, target, "model", AtomicWrite.ALWAYS, tmp -> {
          file(fs, "w.txt", "first").writeTo(tmp);
          writing.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        return null;
      });
      assertTrue(writing.await(30, TimeUnit.SECONDS));
      ConcurrentWriteException e = assertThrows(ConcurrentWriteException.class,
          () -> AtomicWrite.write(fs, target, "model", AtomicWrite.ALWAYS,
              file(fs, "w.txt", "second")));
      assertEquals(target + ": another spark-mlp run is writing this model (lock "
          + new Path(target.getParent(), ".model.lock") + " held by process "
          + java.net.InetAddress.getLocalHost().getHostName() + ":"
          + ProcessHandle.current().pid() + "); if no run is, delete the lock file",
          e.getMessage());
      release.countDown();
      first.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals("first", Files.readString(dir.resolve("model/w.txt")));
    assertEquals(List.of("w.txt"), names(dir.resolve("model")));
    assertEquals(List.of("model"), names(dir));
  }

  @Test
  void aTargetThatAppearsJustBeforeTheRenameIsNeitherNestedNorReplaced() throws IOException {
    FileSystem fs = FileSystem.get(java.net.URI.create("failing:///"),
        FailingFileSystem.conf("appear-on-rename"));
    Path target = new Path(FailingFileSystem.uri(dir.resolve("preds")));
    ConcurrentWriteException e = assertThrows(ConcurrentWriteException.class,
        () -> AtomicWrite.write(fs, target, "predictions", AtomicWrite.ALWAYS,
            file(fs, "part-0", "ours")));
    assertEquals(target + ": appeared while this predictions was written (another process "
        + "wrote it); nothing was replaced", e.getMessage());
    assertEquals(List.of("foreign.txt"), names(dir.resolve("preds")), "not nested");
    assertEquals(List.of("preds"), names(dir), "temporary and lock removed");
  }
}
