package io.sparkmlp.jobs.data.read;

import static io.sparkmlp.testing.ErrorMessages.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.data.Files2;
import io.sparkmlp.jobs.data.IdxFiles;
import io.sparkmlp.jobs.data.LabelMapping;
import io.sparkmlp.jobs.data.PreparedData;
import io.sparkmlp.model.Task;
import io.sparkmlp.testing.SharedSpark;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX input: shapes, pixel scaling, labels, compression, and one-line errors naming the file. */
class DataReaderIdxTest {
  @TempDir Path dir;

  /** Three 2 x 2 images with labels 0, 2, 1. */
  private static final int[] PIXELS = {0, 255, 51, 102, 1, 2, 3, 4, 255, 255, 0, 0};
  private static final int[] LABELS = {0, 2, 1};

  private String images(String name) {
    return IdxFiles.write(dir, name, IdxFiles.images(3, 2, 2, PIXELS));
  }

  private String labels(String name, int... labels) {
    return IdxFiles.write(dir, name, IdxFiles.labels(labels));
  }

  private static PreparedData read(DataSource src, Task task, LabelMapping mapping, int expected,
      boolean requireLabel) {
    return DataReader.read(SharedSpark.session(), src, task, mapping, expected, requireLabel);
  }

  private static IllegalArgumentException fails(DataSource src, Task task, LabelMapping mapping,
      int expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read(src, task, mapping, expected, true));
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  private static IllegalArgumentException parseFails(byte[] content, String name) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> IdxFile.parse(new ByteArrayInputStream(content), name));
    assertTrue(e.getMessage().startsWith(name + ": "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e;
  }

  // ------------------------------------------------------------------ reading

  @Test
  void gzippedImagesBecomeScaledDenseRowsWithClassLabels() {
    DataSource src = DataSource.idx(images("img-idx3-ubyte.gz"),
        labels("lab-idx1-ubyte.gz", LABELS));
    PreparedData d = read(src, Task.MULTICLASS, null, 0, true);
    assertEquals(4, d.numFeatures());
    assertNull(d.featureNames());
    assertEquals(List.of("0", "1", "2"), d.mapping().classNames());
    assertEquals(3, d.outputWidth());
    assertTrue(d.hasLabel());
    List<Row> rows = d.rows().collectAsList();
    assertEquals(List.of("features", "label"), Arrays.asList(rows.get(0).schema().fieldNames()));
    assertInstanceOf(DenseVector.class, rows.get(0).getAs("features"));
    double[][] expected = new double[3][4];
    for (int i = 0; i < PIXELS.length; i++) {
      expected[i / 4][i % 4] = PIXELS[i] / 255.0;
    }
    Files2.assertMatrix(expected, Files2.vectors(rows, "features"), 0);
    assertArrayEquals(new double[] {0, 2, 1}, Files2.doubles(rows, "label"));
  }

  @Test
  void uncompressedBinaryLabelsAndAModelMapping() {
    DataSource src = DataSource.idx(images("img.idx"), labels("lab.idx", 1, 0, 1));
    PreparedData d = read(src, Task.BINARY, null, 0, true);
    assertEquals(List.of("0", "1"), d.mapping().classNames());
    assertEquals(1, d.outputWidth());
    assertArrayEquals(new double[] {1, 0, 1},
        Files2.doubles(d.rows().collectAsList(), "label"));
    // evaluate/predict time: the model's classes and input width
    PreparedData again = read(src, Task.BINARY, LabelMapping.of("0", "1"), 4, true);
    assertEquals(3, again.rows().count());
  }

  @Test
  void unlabelledInputForPrediction() {
    PreparedData d = read(DataSource.idx(images("img.idx"), null), Task.MULTICLASS,
        LabelMapping.indices(10), 4, false);
    assertFalse(d.hasLabel());
    assertEquals(List.of("features"), Arrays.asList(d.rows().columns()));
    assertEquals(3, d.rows().count());
  }

  @Test
  void parserReadsAnyDimensionsAndGzipWithoutItsSuffix() throws Exception {
    byte[] content = IdxFiles.bytes(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
    IdxFile f = IdxFile.parse(new ByteArrayInputStream(IdxFiles.gzip(content)), "x");
    assertArrayEquals(new int[] {2, 3}, f.dims());
    assertEquals(2, f.count());
    assertEquals(3, f.itemSize());
    assertEquals(6, f.data()[5]);
    IdxFile plain = IdxFile.read(IdxFiles.write(dir, "plain", content), new Configuration());
    assertEquals(f.count(), plain.count());
    assertArrayEquals(f.data(), plain.data());
  }

  // ------------------------------------------------------------------ errors

  @Test
  void badMagicNumber() {
    String img = IdxFiles.write(dir, "text.gz", "not an idx file at all".getBytes());
    assertMentions(fails(DataSource.idx(img, labels("lab.idx", LABELS)), Task.MULTICLASS, null,
        0), "text.gz", "bad magic number 0x6E6F7420", "not an IDX file");
    assertMentions(parseFails(new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}, "f.idx"),
        "bad magic number 0x00000D01", "float", "only unsigned byte");
    assertMentions(parseFails(new byte[0], "empty.idx"), "empty");
  }

  @Test
  void imageAndLabelCountsDiffer() {
    DataSource src = DataSource.idx(images("img.idx"), labels("four.idx", 0, 1, 2, 1));
    assertMentions(fails(src, Task.MULTICLASS, null, 0), "four.idx", "4 labels", "img.idx",
        "3 images");
  }

  @Test
  void truncatedFiles() throws Exception {
    byte[] full = IdxFiles.images(3, 2, 2, PIXELS);
    String cut = IdxFiles.write(dir, "cut-idx3.gz", Arrays.copyOf(full, full.length - 5));
    assertMentions(fails(DataSource.idx(cut, labels("lab.idx", LABELS)), Task.MULTICLASS, null,
        0), "cut-idx3.gz", "truncated", "[3, 2, 2] = 12 values", "after 7 of them");
    Path zipped = dir.resolve("zipped-cut.gz");
    byte[] gz = IdxFiles.gzip(IdxFiles.images(3, 2, 2, PIXELS));
    Files.write(zipped, Arrays.copyOf(gz, gz.length / 2));
    assertMentions(fails(DataSource.idx(zipped.toString(), labels("lab.idx", LABELS)),
        Task.MULTICLASS, null, 0), "zipped-cut.gz", "truncated");
    assertMentions(parseFails(new byte[] {0, 0, 8, 3, 0, 0, 0, 3}, "head.idx"),
        "truncated header");
  }

  @Test
  void trailingBytesAndZeroDimensions() {
    byte[] full = IdxFiles.images(3, 2, 2, PIXELS);
    byte[] longer = Arrays.copyOf(full, full.length + 2);
    assertMentions(parseFails(longer, "long.idx"), "2 unexpected bytes", "12 values");
    assertMentions(parseFails(IdxFiles.bytes(new int[] {0, 2}), "none.idx"), "no items", "empty");
  }

  @Test
  void labelsOutOfRange() {
    DataSource src = DataSource.idx(images("img.idx"), labels("lab-7.idx", 0, 7, 1));
    assertMentions(fails(src, Task.MULTICLASS, LabelMapping.indices(3), 4), "lab-7.idx",
        "label '7'", "not one of the model's classes");
    assertMentions(fails(DataSource.idx(images("img.idx"), labels("lab.idx", LABELS)),
        Task.BINARY, null, 0), "lab.idx", "binary label '2'");
  }

  @Test
  void swappedFilesWrongWidthAndMissingLabels() {
    String img = images("img.idx");
    String lab = labels("lab.idx", LABELS);
    assertMentions(fails(DataSource.idx(lab, img), Task.MULTICLASS, null, 0), "lab.idx",
        "labels file?");
    assertMentions(fails(DataSource.idx(img, img), Task.MULTICLASS, null, 0), "img.idx",
        "images file?");
    assertMentions(fails(DataSource.idx(img, lab), Task.MULTICLASS, null, 784), "img.idx",
        "4 features", "expects 784");
    assertMentions(fails(DataSource.idx(img, null), Task.MULTICLASS, null, 0), "img.idx",
        "labels file", "labels-path");
    assertMentions(fails(DataSource.idx(img, dir.resolve("nowhere.idx").toString()),
        Task.MULTICLASS, null, 0), "nowhere.idx", "does not exist");
    assertMentions(fails(DataSource.idx(img, lab), Task.REGRESSION, null, 0), "img.idx",
        "binary or multiclass");
  }
}
