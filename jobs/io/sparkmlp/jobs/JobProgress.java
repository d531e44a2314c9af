package io.sparkmlp.jobs;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a job that is one pass over its input (evaluate, predict): a Spark listener counts
 * finished tasks and the rows they read and wrote, and a log line reports them at a fixed interval
 * while the pass runs. Close it when the pass is over.
 */
final class JobProgress extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobProgress.class);

  /** Interval between progress lines. */
  static final long INTERVAL_SECONDS = 10;

  private final SparkSession spark;
  private final String what;
  private final long started = System.nanoTime();
  private final AtomicLong tasksTotal = new AtomicLong();
  private final AtomicLong tasksDone = new AtomicLong();
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicLong rowsWritten = new AtomicLong();
  private final ScheduledExecutorService timer;
  private boolean closed;

  /**
   * Starts reporting.
   *
   * @param spark the job's session (the listener is added to its context)
   * @param what  the command, at the start of each line (e.g. {@code predict})
   */
  JobProgress(SparkSession spark, String what) {
    this.spark = spark;
    this.what = what;
    spark.sparkContext().addSparkListener(this);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spark-mlp-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(() -> LOG.info(line()), INTERVAL_SECONDS, INTERVAL_SECONDS,
        TimeUnit.SECONDS);
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted stage) {
    tasksTotal.addAndGet(stage.stageInfo().numTasks());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    tasksDone.incrementAndGet();
    TaskMetrics m = task.taskMetrics();
    if (m != null) {
      rowsRead.addAndGet(m.inputMetrics().recordsRead());
      rowsWritten.addAndGet(m.outputMetrics().recordsWritten());
    }
  }

  /** Rows written by the finished tasks so far. */
  long rowsWritten() {
    return rowsWritten.get();
  }

  /** Seconds since the start. */
  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** The progress line: tasks, rows read and written, elapsed time. */
  String line() {
    return String.format(Locale.ROOT, "%s: %d/%d tasks done, %,d rows read, %,d rows written, "
        + "%.0f s", what, tasksDone.get(), tasksTotal.get(), rowsRead.get(), rowsWritten.get(),
        seconds());
  }

  /**
   * Stops reporting once the listener has seen every event of the finished pass; closing again
   * does nothing (call it before reading the final counts).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      spark.sparkContext().listenerBus().waitUntilEmpty(5000);
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.debug("listener events still queued after 5 s; the row counts may be short");
    }
    timer.shutdownNow();
    spark.sparkContext().removeSparkListener(this);
  }
}
