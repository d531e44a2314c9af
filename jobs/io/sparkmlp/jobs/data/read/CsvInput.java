package io.sparkmlp.jobs.data.read;

import io.sparkmlp.jobs.config.DataSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Delimited text: every cell is read as text ({@code inferSchema} off) and parsed strictly;
 * malformed records (wrong field count) are errors ({@code FAILFAST}). With a header, every file of
 * the input must have the first file's header ({@link CsvHeaders}); {@code skip-lines} drops each
 * file's leading lines before the header ({@link SkippedLines}).
 */
final class CsvInput extends TabularInput {
  @Override
  public DataSource.Format format() {
    return DataSource.Format.CSV;
  }

  @Override
  Dataset<Row> load(SparkSession spark, DataSource src) throws Exception {
    var reader = spark.read()
        .option("header", src.csvHeader())
        .option("sep", src.csvDelimiter())
        .option("inferSchema", false)
        .option("mode", "FAILFAST")
        .options(src.options());
    if (src.skipLines() == 0) {
      return reader.csv(src.path());
    }
    return SkippedLines.read(spark, reader, src.path(), src.skipLines());
  }

  @Override
  void checkFiles(SparkSession spark, DataSource src, Dataset<Row> raw) {
    if (src.csvHeader() && src.skipLines() == 0) {
      // every file of the input has the first file's header (names and order)
      CsvHeaders.requireSame(HadoopPaths.conf(spark), raw.inputFiles(), src.csvDelimiter());
    }
  }
}
