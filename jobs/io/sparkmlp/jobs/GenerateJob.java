package io.sparkmlp.jobs;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.stddev_pop;

import io.sparkmlp.jobs.config.GenerateConfig;
import io.sparkmlp.jobs.config.TeacherSettings;
import io.sparkmlp.jobs.data.generate.TeacherData;
import io.sparkmlp.model.Task;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code generate CONFIG [--set key=value]...}: writes synthetic rows from a random teacher network
 * ({@link TeacherData}) as Parquet or CSV, atomically, then prints the time taken, the size on disk and
 * the label distribution read back from the output.
 */
final class GenerateJob implements Command {

  @Override
  public String help() {
    return String.join("\n",
        "usage: spark-mlp generate [CONFIG] [--set key=value]...",
        "",
        "Writes generate.rows synthetic rows from a fixed random teacher network (tanh hidden",
        "layers generate.hidden, Gaussian features) as Parquet to generate.output: a `features`",
        "column (array of float) and a `label` column (generate.task: multiclass, binary,",
        "multilabel or regression). Keys: the generate section of conf/reference.conf; example:",
        "conf/examples/generate-synthetic.conf. The rows are computed inside Spark tasks and",
        "depend only on generate.seed and the settings. The output is written to a temporary",
        "path and renamed; an existing output is refused unless generate.overwrite = true.",
        "Train on it with data.train.format = parquet, data.train.features-column = features;",
        "generate.format = csv writes the features as columns x1..xN and the label instead",
        "(train with data.train.format = csv).");
  }

  @Override
  public void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args, Set.of(), Set.of());
    if (a.positional().size() > 1) {
      throw new IllegalArgumentException("expected at most one config file, got "
          + a.positional());
    }
    Path file = a.positional().isEmpty() ? null : Paths.get(a.positional().get(0));
    GenerateConfig cfg = GenerateConfig.load(file, a.overrides());
    OutputPaths.check(OutputPaths.hadoopConf(cfg.sparkConf()), cfg.output(),
        io.sparkmlp.trainer.store.OutputKind.GENERATED_DATA, cfg.overwrite(),
        "set generate.overwrite = true");
    out.println("spark-mlp generate: starting Spark ("
        + SparkSessions.describeMaster(cfg.sparkMaster()) + ") -> " + cfg.output());
    boolean owned = SparkSessions.noneActive();
    SparkSession spark = SparkSessions.create(cfg.appName(), cfg.sparkMaster(), cfg.sparkConf());
    try {
      generate(spark, cfg, out);
    } finally {
      SparkSessions.release(spark, owned);
    }
  }

  static void generate(SparkSession spark, GenerateConfig cfg, PrintStream out) {
    TeacherSettings s = cfg.settings();
    int partitions = TeacherData.partitionsFor(spark, s, s.rows());
    out.println("spark-mlp generate: " + s.describe() + ", " + partitions + " partitions -> "
        + cfg.output());
    long t0 = System.nanoTime();
    long bytes = TeacherData.write(spark, s, cfg.output(), cfg.overwrite(), cfg.format());
    double seconds = (System.nanoTime() - t0) / 1e9;
    double raw = 4.0 * s.rows() * s.features();
    out.printf(Locale.ROOT, "wrote %,d rows in %.1f s (%.0f rows/s): %.1f MiB on disk, raw "
        + "float32 features %.1f MiB%n", s.rows(), seconds, s.rows() / seconds,
        bytes / 1048576.0, raw / 1048576.0);
    out.println("labels: " + labelSummary(TeacherData.read(spark, s, cfg.output(), cfg.format()),
        s));
  }

  /** Class counts, positive rates per label, or target mean and standard deviation. */
  static String labelSummary(Dataset<Row> data, TeacherSettings s) {
    String label = TeacherData.LABEL;
    StringBuilder sb = new StringBuilder();
    if (s.task() == Task.MULTICLASS || s.task() == Task.BINARY) {
      List<Row> counts = data.groupBy(label).count().orderBy(label).collectAsList();
      long total = counts.stream().mapToLong(r -> r.getLong(1)).sum();
      sb.append("class counts");
      for (Row r : counts) {
        sb.append(String.format(Locale.ROOT, " %d=%,d (%.1f%%)", r.getInt(0), r.getLong(1),
            100.0 * r.getLong(1) / total));
      }
      return sb.toString();
    }
    boolean array = s.task() == Task.MULTILABEL || s.outputs() > 1;
    List<Column> aggs = new ArrayList<>();
    for (int k = 0; k < s.outputs(); k++) {
      Column c = array ? col(label).getItem(k) : col(label);
      aggs.add(avg(c));
      aggs.add(stddev_pop(c));
    }
    Row r = data.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    sb.append(s.task() == Task.MULTILABEL ? "positive rate per label" : "target mean/std");
    for (int k = 0; k < s.outputs(); k++) {
      sb.append(s.task() == Task.MULTILABEL
          ? String.format(Locale.ROOT, " %d=%.3f", k, r.getDouble(2 * k))
          : String.format(Locale.ROOT, " %d=%.3f/%.3f", k, r.getDouble(2 * k),
              r.getDouble(2 * k + 1)));
    }
    return sb.toString();
  }
}
