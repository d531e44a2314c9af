package io.sparkmlp.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskKilled;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Kills the first attempt of up to three tasks of the jobs whose description matches (Spark
 * reschedules killed tasks), to check that a recomputed task gives the same bits.
 */
public final class TaskKiller extends SparkListener {
  private final SparkContext sc;
  private final Predicate<String> description;
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  /** Task attempts killed so far. */
  public final AtomicInteger killed = new AtomicInteger();

  /** Kills tasks of the jobs whose {@code spark.job.description} satisfies {@code description}. */
  public TaskKiller(SparkContext sc, Predicate<String> description) {
    this.sc = sc;
    this.description = description;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted e) {
    String d = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
    if (d != null && description.test(d)) {
      stages.add(e.stageInfo().stageId());
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart e) {
    if (killed.get() < 3 && stages.contains(e.stageId()) && e.taskInfo().attemptNumber() == 0) {
      sc.killTaskAttempt(e.taskInfo().taskId(), false, "test: injected task failure");
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    if (e.reason() instanceof TaskKilled) {
      killed.incrementAndGet();
    }
  }
}
