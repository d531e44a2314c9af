package io.sparkmlp.jobs;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The spark-mlp command line: {@code train}, {@code evaluate}, {@code predict}, {@code generate}
 * and {@code export}. Runs under {@code spark-submit --class io.sparkmlp.jobs.Main <app jar>
 * <command> ...} on a cluster, or locally through {@code scripts/spark-mlp}. Exit code 0 on
 * success, 1 with a one-line reason on failure, 2 for a usage error.
 */
public final class Main {
  private Main() {}

  static final String USAGE = String.join("\n",
      "usage: spark-mlp <command> [options]",
      "",
      "commands:",
      "  train CONFIG [--set key=value]...     train a network (see conf/reference.conf)",
      "  evaluate --model DIR --input PATH      metrics of a saved model on labelled data",
      "  predict --model DIR --input PATH --output PATH",
      "                                         write predictions of a saved model",
      "  generate [CONFIG] [--set key=value]... write synthetic teacher-network data as Parquet",
      "  export --model DIR --format onnx --output FILE",
      "                                         write a saved model as an ONNX model",
      "",
      "'spark-mlp <command> --help' describes a command's options.");

  /** Entry point; exits the JVM with the command's status. */
  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    System.exit(status);
  }

  /** Runs a command and returns its exit status (no System.exit: testable). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String cmd = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Command command;
    switch (cmd) {
      case "train" -> command = new TrainJob();
      case "evaluate" -> command = new EvaluateJob();
      case "predict" -> command = new PredictJob();
      case "generate" -> command = new GenerateJob();
      case "export" -> command = new ExportJob();
      case "--help", "-h", "help" -> {
        out.println(USAGE);
        return 0;
      }
      default -> {
        err.println("spark-mlp: unknown command '" + cmd + "'\n" + USAGE);
        return 2;
      }
    }
    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      out.println(command.help());
      return 0;
    }
    long started = System.currentTimeMillis();
    try {
      command.run(rest, out);
      return 0;
    } catch (Throwable e) {
      err.println("spark-mlp " + cmd + ": " + oneLine(e) + taskLogNote(started));
      if (Boolean.getBoolean("spark.mlp.debug")) {
        e.printStackTrace(err);
      }
      return e instanceof UsageException ? 2 : 1;
    }
  }

  /**
   * Where Spark's own report of a failed task went: conf/log4j2.properties sends the executor's
   * and scheduler's task-failure lines (with their stack traces) to the file appender
   * {@code tasks} instead of the console. Empty unless that file was written during this run.
   */
  static String taskLogNote(long startedMillis) {
    try {
      if (!(org.apache.logging.log4j.LogManager.getContext(false)
          instanceof org.apache.logging.log4j.core.LoggerContext ctx)) {
        return "";
      }
      org.apache.logging.log4j.core.Appender a = ctx.getConfiguration().getAppender("tasks");
      if (!(a instanceof org.apache.logging.log4j.core.appender.FileAppender file)) {
        return "";
      }
      java.io.File log = new java.io.File(file.getFileName());
      // file times have a coarse resolution on some file systems
      return log.isFile() && log.lastModified() >= startedMillis - 2000
          ? " (Spark's task report: " + log.getAbsolutePath() + ")" : "";
    } catch (RuntimeException | LinkageError e) {
      return "";
    }
  }

  /** The most specific message of {@code e}, on one line. */
  static String oneLine(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError oom) {
        return "out of memory (" + oom.getMessage() + ") with a heap of "
            + (Runtime.getRuntime().maxMemory() >> 20) + " MiB: raise "
            + io.sparkmlp.trainer.MemoryBudget.heapSetting(false)
            + " or reduce the network, the batch or the data per partition";
      }
    }
    Throwable t = io.sparkmlp.trainer.SparkErrors.unwrap(e);
    String msg = t.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = t.getClass().getSimpleName();
    }
    int nl = msg.indexOf('\n');
    return nl >= 0 ? msg.substring(0, nl) : msg;
  }
}
