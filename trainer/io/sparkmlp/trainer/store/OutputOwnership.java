package io.sparkmlp.trainer.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Recognizes what spark-mlp wrote, so that an overwrite replaces only an output of the same kind
 * and never a model, an input or an unrelated file or directory:
 * <ul>
 *   <li>a model directory by its {@code model.json};</li>
 *   <li>predictions and generated data by the marker file {@value #MARKER} that the writer puts
 *       in the directory (Spark's readers skip names starting with {@code _});</li>
 *   <li>files by their content: metrics as a JSON object with {@code "count"} and the textual
 *       {@code "model"} and {@code "input"} that evaluate adds, a report as an HTML page titled {@code spark-mlp}, an ONNX model by its
 *       producer name {@code spark-mlp}.</li>
 * </ul>
 * An empty directory holds nothing to lose and may be replaced by a directory output.
 */
public final class OutputOwnership {

  /** Name of the marker file in a spark-mlp Spark output directory. */
  public static final String MARKER = "_SPARK_MLP_OUTPUT";

  /** How many leading bytes of a file are looked at. */
  private static final int SNIFF_BYTES = 4096;

  /** Metrics files are small; a larger JSON file is not one. */
  private static final long MAX_METRICS_BYTES = 16L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private OutputOwnership() {}

  /**
   * Writes the marker of {@code kind} into the directory {@code dir}.
   *
   * @throws IOException if the file cannot be created
   */
  public static void mark(FileSystem fs, Path dir, OutputKind kind) throws IOException {
    try (OutputStream out = fs.create(new Path(dir, MARKER), false)) {
      out.write(("spark-mlp " + kind.markerWord() + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * What spark-mlp output {@code path} is, if it is one.
   *
   * @return the kind, or empty for anything spark-mlp did not write (or a missing path)
   * @throws IOException if the path cannot be read
   */
  public static Optional<OutputKind> kindOf(FileSystem fs, Path path) throws IOException {
    FileStatus st;
    try {
      st = fs.getFileStatus(path);
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
    if (st.isDirectory()) {
      if (fs.exists(new Path(path, ModelDirectory.MODEL_JSON))) {
        return Optional.of(OutputKind.MODEL);
      }
      String marker = head(fs, new Path(path, MARKER), SNIFF_BYTES).strip();
      for (OutputKind k : OutputKind.values()) {
        if (k.isDirectory() && marker.equals("spark-mlp " + k.markerWord())) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
    String head = head(fs, path, SNIFF_BYTES);
    if (head.stripLeading().startsWith("{") && isMetrics(fs, path, st.getLen())) {
      return Optional.of(OutputKind.METRICS);
    }
    if (head.startsWith("<!DOCTYPE html>") && head.contains("<title>spark-mlp ")) {
      return Optional.of(OutputKind.REPORT);
    }
    // ONNX ModelProto: ir_version (field 1, varint) then producer_name (field 2) "spark-mlp"
    if (head.startsWith("\u0008") && head.contains("\u0012\u0009spark-mlp")) {
      return Optional.of(OutputKind.ONNX);
    }
    return Optional.empty();
  }

  /**
   * The check that lets {@code kind} replace an existing output: only with {@code overwrite}, and
   * only an output of the same kind (or an empty directory, for directory kinds).
   *
   * @param conf      resolves the existing path's file system
   * @param kind      what is about to be written
   * @param overwrite whether the user allowed replacing an output
   * @param how       how the user allows it, e.g. {@code pass --overwrite}
   * @param shown     the path as the user gave it, for messages
   */
  public static AtomicWrite.ReplaceCheck replaceable(Configuration conf, OutputKind kind,
      boolean overwrite, String how, String shown) {
    return existing -> check(existing.getFileSystem(conf), existing, shown, kind, overwrite, how);
  }

  /**
   * Refuses replacing {@code existing} with {@code kind} (see {@link #replaceable}).
   *
   * @param shown the path as the user gave it, for messages
   * @throws FileAlreadyExistsException if not {@code overwrite}
   * @throws OutputRefusedException     if {@code existing} is not spark-mlp {@code kind}
   */
  public static void check(FileSystem fs, Path existing, String shown, OutputKind kind,
      boolean overwrite, String how) throws IOException {
    if (!overwrite) {
      throw new FileAlreadyExistsException(shown + ": output already exists (" + how
          + " to replace it)");
    }
    Optional<OutputKind> found = kindOf(fs, existing);
    if (found.equals(Optional.of(kind))) {
      return;
    }
    FileStatus st = fs.getFileStatus(existing);
    if (kind.isDirectory() && st.isDirectory() && found.isEmpty()
        && fs.listStatus(existing).length == 0) {
      return;
    }
    String what = found.map(k -> "a spark-mlp " + k.label()).orElse(st.isDirectory()
        ? "a directory spark-mlp did not write" + (kind.isDirectory() ? " (no " + MARKER + ")" : "")
        : "a file that is not spark-mlp " + kind.label());
    throw new OutputRefusedException(shown + ": refusing to replace " + what + " with "
        + kind.label() + "; only spark-mlp " + kind.label() + " is replaced (remove it yourself "
        + "or choose another path)");
  }

  /** Whether a JSON file is an object with the textual {@code model} and {@code input} evaluate adds. */
  private static boolean isMetrics(FileSystem fs, Path file, long length) throws IOException {
    if (length > MAX_METRICS_BYTES) {
      return false;
    }
    try (InputStream in = fs.open(file)) {
      JsonNode root = JSON.readTree(in);
      return root != null && root.isObject() && root.path("model").isTextual()
          && root.path("input").isTextual() && root.has("count");
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** The first {@code n} bytes of a file as ISO-8859-1 text; empty if it is missing. */
  private static String head(FileSystem fs, Path file, int n) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    } catch (FileNotFoundException e) {
      return "";
    }
  }
}
