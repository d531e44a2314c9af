package io.sparkmlp.jobs.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparkmlp.jobs.config.DataSource;
import io.sparkmlp.jobs.config.DataSource.Format;
import io.sparkmlp.jobs.data.Files2;
import io.sparkmlp.testing.SharedSpark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every format has its reader, which reads that format and agrees with the keys the format
 * declares; only the table formats have a frame to re-read.
 */
class InputFormatTest {
  @TempDir Path dir;

  @Test
  void everyFormatHasItsReader() {
    for (Format f : Format.values()) {
      assertEquals(f, DataReader.input(f).format());
    }
    assertInstanceOf(LibsvmInput.class, DataReader.input(Format.LIBSVM));
    assertInstanceOf(CsvInput.class, DataReader.input(Format.CSV));
    assertInstanceOf(ParquetInput.class, DataReader.input(Format.PARQUET));
    assertInstanceOf(IdxInput.class, DataReader.input(Format.IDX));
  }

  @Test
  void tableReadersFollowTheDeclaredKeys() {
    for (Format f : Format.values()) {
      InputFormat in = DataReader.input(f);
      boolean table = f.applies("feature-columns");
      assertEquals(table, in instanceof TabularInput, f + ": table columns");
      if (in instanceof TabularInput t) {
        assertEquals(f.applies("features-column"), t.vectorColumns(), f + ": vector column");
      }
    }
  }

  @Test
  void onlyTablesHaveAFrame() {
    String csv = Files2.write(dir, "t.csv", "a,label", "1,0", "2,1");
    assertEquals(List.of("a", "label"),
        List.of(DataReader.frame(SharedSpark.session(), DataSource.csv(csv, "label")).columns()));
    String svm = Files2.write(dir, "t.svm", "0 1:1", "1 1:2");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DataReader.frame(SharedSpark.session(), DataSource.libsvm(svm, 0)));
    assertEquals(svm + ": libsvm input has no table columns (csv or parquet)", e.getMessage());
  }
}
