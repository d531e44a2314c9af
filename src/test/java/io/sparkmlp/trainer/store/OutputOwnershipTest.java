package io.sparkmlp.trainer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What counts as spark-mlp output of each kind, and what an overwrite may replace. */
class OutputOwnershipTest {
  @TempDir java.nio.file.Path dir;

  private final Configuration conf = new Configuration();

  private FileSystem fs() throws IOException {
    return FileSystem.getLocal(conf).getRawFileSystem();
  }

  private Path path(String name) {
    return new Path("file://" + dir.resolve(name));
  }

  private Optional<OutputKind> kind(String name) throws IOException {
    return OutputOwnership.kindOf(fs(), path(name));
  }

  @Test
  void recognizesEveryKindItWritesAndNothingElse() throws IOException {
    ModelDirectory.save(ModelDirectoryTest.tinyModel(), dir.resolve("m").toString(), false, conf);
    Files.createDirectories(dir.resolve("p"));
    OutputOwnership.mark(fs(), path("p"), OutputKind.PREDICTIONS);
    Files.createDirectories(dir.resolve("g"));
    OutputOwnership.mark(fs(), path("g"), OutputKind.GENERATED_DATA);
    // model and input come last, after a confusion matrix larger than the sniffed head
    Files.writeString(dir.resolve("metrics.json"), "{\n  \"accuracy\" : 0.9,\n  \"count\" : 3,\n"
        + "  \"confusion_matrix\" : [" + "0, ".repeat(5000) + "0],\n"
        + "  \"model\" : \"m\",\n  \"input\" : \"x\"\n}");
    Files.writeString(dir.resolve("r.html"),
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>spark-mlp x");
    Files.write(dir.resolve("m.onnx"),
        "\u0008\u0007\u0012\u0009spark-mlp\u001a".getBytes(StandardCharsets.ISO_8859_1));
    Files.createDirectories(dir.resolve("other"));
    Files.writeString(dir.resolve("other/a.csv"), "1");

    assertEquals(Optional.of(OutputKind.MODEL), kind("m"));
    assertEquals(Optional.of(OutputKind.PREDICTIONS), kind("p"));
    assertEquals(Optional.of(OutputKind.GENERATED_DATA), kind("g"));
    assertEquals(Optional.of(OutputKind.METRICS), kind("metrics.json"));
    assertEquals(Optional.of(OutputKind.REPORT), kind("r.html"));
    assertEquals(Optional.of(OutputKind.ONNX), kind("m.onnx"));
    assertEquals(Optional.empty(), kind("m/model.json"), "model.json is not metrics");
    assertEquals(Optional.empty(), kind("m/weights.safetensors"));
    assertEquals(Optional.empty(), kind("other"));
    assertEquals(Optional.empty(), kind("missing"));
    assertEquals("spark-mlp predictions\n", Files.readString(dir.resolve("p/_SPARK_MLP_OUTPUT")));
  }

  @Test
  void overwriteReplacesOnlyTheSameKindOrAnEmptyDirectory() throws IOException {
    Files.createDirectories(dir.resolve("p"));
    OutputOwnership.mark(fs(), path("p"), OutputKind.PREDICTIONS);
    Files.createDirectories(dir.resolve("empty"));
    OutputOwnership.check(fs(), path("p"), "p", OutputKind.PREDICTIONS, true, "x");
    OutputOwnership.check(fs(), path("empty"), "empty", OutputKind.PREDICTIONS, true, "x");
    assertEquals("p: output already exists (pass --overwrite to replace it)",
        assertThrows(FileAlreadyExistsException.class, () -> OutputOwnership.check(fs(),
            path("p"), "p", OutputKind.PREDICTIONS, false, "pass --overwrite")).getMessage());
    assertEquals("p: refusing to replace a spark-mlp predictions with generated data; only "
        + "spark-mlp generated data is replaced (remove it yourself or choose another path)",
        assertThrows(OutputRefusedException.class, () -> OutputOwnership.check(fs(), path("p"),
            "p", OutputKind.GENERATED_DATA, true, "x")).getMessage());
    Files.writeString(dir.resolve("f"), "x");
    assertEquals("f: refusing to replace a file that is not spark-mlp predictions with "
        + "predictions; only spark-mlp predictions is replaced (remove it yourself or choose "
        + "another path)", assertThrows(OutputRefusedException.class, () ->
            OutputOwnership.check(fs(), path("f"), "f", OutputKind.PREDICTIONS, true, "x"))
        .getMessage());
  }
}
