package io.sparkmlp.jobs.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Where a job's time goes, from Spark's own events: job start to end, stage submission to first
 * task launch, and per task launch to finish split into deserialization, run and result
 * serialization. Used by {@link StepOverheadBenchmark} to break a step down.
 */
final class StepListener extends SparkListener {
  /** Only jobs whose description matches (null: all jobs). */
  private final java.util.regex.Pattern description;
  /** Stages of the jobs counted. */
  private final java.util.Set<Integer> countedStages = new java.util.HashSet<>();
  private long jobs;
  private long jobMillis;
  private final Map<Integer, Long> jobStart = new HashMap<>();
  private long stages;
  private long submitToLaunch;
  private final Map<Integer, Long> stageSubmitted = new HashMap<>();
  private final Map<Integer, Long> firstLaunch = new HashMap<>();
  private long tasks;
  private long launchToFinish;
  private long deserialize;
  private long run;
  private long cpuNanos;
  private long resultSerialize;

  /** Counts every job. */
  StepListener() {
    this(null);
  }

  /** Counts only the jobs whose {@code spark.job.description} matches {@code description}. */
  StepListener(String description) {
    this.description = description == null ? null : java.util.regex.Pattern.compile(description);
  }

  @Override
  public synchronized void onJobStart(SparkListenerJobStart e) {
    if (description != null) {
      String d = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
      if (d == null || !description.matcher(d).matches()) {
        return;
      }
    }
    jobStart.put(e.jobId(), e.time());
    scala.collection.Iterator<Object> ids = e.stageIds().iterator();
    while (ids.hasNext()) {
      countedStages.add((Integer) ids.next());
    }
  }

  @Override
  public synchronized void onJobEnd(SparkListenerJobEnd e) {
    Long s = jobStart.remove(e.jobId());
    if (s != null) {
      jobs++;
      jobMillis += e.time() - s;
    }
  }

  @Override
  public synchronized void onStageSubmitted(SparkListenerStageSubmitted e) {
    if (countedStages.contains(e.stageInfo().stageId()) && e.stageInfo().submissionTime().isDefined()) {
      stageSubmitted.put(e.stageInfo().stageId(), (Long) e.stageInfo().submissionTime().get());
    }
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart e) {
    if (!countedStages.contains(e.stageId())) {
      return;
    }
    firstLaunch.merge(e.stageId(), e.taskInfo().launchTime(), Math::min);
  }

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted e) {
    int id = e.stageInfo().stageId();
    Long s = stageSubmitted.remove(id);
    Long f = firstLaunch.remove(id);
    if (s != null && f != null) {
      stages++;
      submitToLaunch += f - s;
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
    if (e.taskMetrics() == null || !countedStages.contains(e.stageId())) {
      return;
    }
    tasks++;
    deserialize += e.taskMetrics().executorDeserializeTime();
    run += e.taskMetrics().executorRunTime();
    cpuNanos += e.taskMetrics().executorCpuTime();
    resultSerialize += e.taskMetrics().resultSerializationTime();
    launchToFinish += e.taskInfo().finishTime() - e.taskInfo().launchTime();
  }

  synchronized void reset() {
    jobs = jobMillis = stages = submitToLaunch = tasks = launchToFinish = 0;
    deserialize = run = resultSerialize = cpuNanos = 0;
  }

  private static double avg(long sum, long n) {
    return sum / (double) Math.max(1, n);
  }

  synchronized String report() {
    return String.format(Locale.ROOT, "%d jobs, mean job %.1f ms (stage submitted -> first task"
        + " %.1f ms); %d tasks, mean launch -> finish %.1f ms (deserialize %.1f, run %.1f of which"
        + " CPU %.1f, result serialization %.1f)", jobs, avg(jobMillis, jobs),
        avg(submitToLaunch, stages), tasks, avg(launchToFinish, tasks), avg(deserialize, tasks),
        avg(run, tasks), avg(cpuNanos, tasks) / 1e6, avg(resultSerialize, tasks));
  }
}
