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
  private long resultSerialize;

  @Override
  public synchronized void onJobStart(SparkListenerJobStart e) {
    jobStart.put(e.jobId(), e.time());
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
    if (e.stageInfo().submissionTime().isDefined()) {
      stageSubmitted.put(e.stageInfo().stageId(), (Long) e.stageInfo().submissionTime().get());
    }
  }

  @Override
  public synchronized void onTaskStart(SparkListenerTaskStart e) {
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
    if (e.taskMetrics() == null) {
      return;
    }
    tasks++;
    deserialize += e.taskMetrics().executorDeserializeTime();
    run += e.taskMetrics().executorRunTime();
    resultSerialize += e.taskMetrics().resultSerializationTime();
    launchToFinish += e.taskInfo().finishTime() - e.taskInfo().launchTime();
  }

  synchronized void reset() {
    jobs = jobMillis = stages = submitToLaunch = tasks = launchToFinish = 0;
    deserialize = run = resultSerialize = 0;
  }

  private static double avg(long sum, long n) {
    return sum / (double) Math.max(1, n);
  }

  synchronized String report() {
    return String.format(Locale.ROOT, "%d jobs, mean job %.1f ms (stage submitted -> first task"
        + " %.1f ms); %d tasks, mean launch -> finish %.1f ms (deserialize %.1f, run %.1f, result"
        + " serialization %.1f)", jobs, avg(jobMillis, jobs), avg(submitToLaunch, stages), tasks,
        avg(launchToFinish, tasks), avg(deserialize, tasks), avg(run, tasks),
        avg(resultSerialize, tasks));
  }
}
