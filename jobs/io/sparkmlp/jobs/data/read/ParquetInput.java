package io.sparkmlp.jobs.data.read;

import io.sparkmlp.jobs.config.DataSource;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Parquet as stored: numeric (or numeric text) feature columns as for CSV, text and boolean
 * columns as categories, or one vector or numeric-array features column
 * ({@code features-column}).
 */
final class ParquetInput extends TabularInput {
  @Override
  public DataSource.Format format() {
    return DataSource.Format.PARQUET;
  }

  @Override
  Dataset<Row> load(SparkSession spark, DataSource src) {
    return spark.read().options(src.options()).parquet(src.path());
  }
}
