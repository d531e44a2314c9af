package io.sparkmlp.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkmlp.jobs.Main;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageExecutorMetrics;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple2;
import scala.collection.Iterator;

/**
 * Runs one spark-mlp command ({@link Main#run}) in this JVM and reports its peak memory
 * (BENCHMARKS.md (f)): the JVM heap in use, sampled, and the pools' peaks; the process's peak
 * resident set ({@code VmHWM} of {@code /proc/self/status}); and Spark's own executor peak
 * metrics, collected by a listener ({@code spark.extraListeners}) from task-end and
 * executor-metrics-update events, with {@code spark.executor.processTreeMetrics.enabled} for the
 * RSS of the process tree. In local mode
 * the driver is the executor, so both views describe this one JVM.
 *
 * <p>With {@code --model DIR} (a model written by the command) it also prints the training
 * figures from the model's provenance: rows, cached bytes vs the raw float32 size (the trainer's
 * DataReport) and each epoch's samples/s.
 *
 * <p>Usage: {@code MemoryProbe [--model DIR] [--interval-ms 200] -- <spark-mlp command and
 * arguments>}. Output lines start with {@code PROBE}; the exit status is the command's.
 */
public final class MemoryProbe {
  private MemoryProbe() {}

  /** Spark executor metrics reported, in this order. */
  static final List<String> METRICS = List.of("JVMHeapMemory", "JVMOffHeapMemory",
      "OnHeapStorageMemory", "OnHeapExecutionMemory", "OnHeapUnifiedMemory", "DirectPoolMemory",
      "ProcessTreeJVMRSSMemory", "TotalGCTime");

  /** Receives Spark's executor metrics; peaks are kept in static state for the probe. */
  public static final class Listener extends SparkListener {
    static final Map<String, Long> PEAKS = new ConcurrentHashMap<>();

    /** Created by Spark from {@code spark.extraListeners}. */
    public Listener() {}

    private static void record(ExecutorMetrics m) {
      if (m == null) {
        return;
      }
      for (String name : METRICS) {
        PEAKS.merge(name, m.getMetricValue(name), Math::max);
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
      record(e.taskExecutorMetrics());
    }

    @Override
    public void onStageExecutorMetrics(SparkListenerStageExecutorMetrics e) {
      record(e.executorMetrics());
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
      Iterator<Tuple2<Tuple2<Object, Object>, ExecutorMetrics>> it =
          e.executorUpdates().iterator();
      while (it.hasNext()) {
        record(it.next()._2());
      }
    }
  }

  /** Runs the probe; see the class comment. */
  public static void main(String[] args) throws Exception {
    int sep = Arrays.asList(args).indexOf("--");
    if (sep < 0) {
      System.err.println("usage: MemoryProbe [--model DIR] [--interval-ms N] -- <command> ...");
      System.exit(2);
    }
    String model = null;
    long interval = 200;
    for (int i = 0; i < sep; i++) {
      switch (args[i]) {
        case "--model" -> model = args[++i];
        case "--interval-ms" -> interval = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    String[] command = Arrays.copyOfRange(args, sep + 1, args.length);
    // picked up by the SparkConf the job creates (system properties starting with "spark.")
    System.setProperty("spark.extraListeners", Listener.class.getName());
    System.setProperty("spark.executor.processTreeMetrics.enabled", "true");
    System.setProperty("spark.executor.metrics.pollingInterval", "1s");

    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      p.resetPeakUsage();
    }
    long[] peakHeap = {0};
    long[] peakRss = {0};
    final long every = interval;
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakHeap[0] = Math.max(peakHeap[0],
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        peakRss[0] = Math.max(peakRss[0], procStatus("VmRSS"));
        try {
          Thread.sleep(every);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "memory-probe");
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    int status = Main.run(command, System.out, System.err);
    double wall = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    sampler.join();

    System.out.printf(Locale.ROOT, "PROBE command: %s, exit %d, wall %.1f s%n",
        String.join(" ", command), status, wall);
    long max = Runtime.getRuntime().maxMemory();
    long poolPeaks = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        poolPeaks += p.getPeakUsage().getUsed();
      }
    }
    long gcMillis = 0;
    long gcCount = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcMillis += Math.max(0, gc.getCollectionTime());
      gcCount += Math.max(0, gc.getCollectionCount());
    }
    System.out.printf(Locale.ROOT, "PROBE driver JVM heap: max (-Xmx) %s, peak used %s (sampled "
        + "every %d ms), sum of heap pool peaks %s (an upper bound); GC %.1f s in %d "
        + "collections%n", gib(max), gib(peakHeap[0]), interval, gib(poolPeaks), gcMillis / 1e3,
        gcCount);
    System.out.printf(Locale.ROOT, "PROBE process: peak RSS %s (VmHWM), sampled peak VmRSS %s%n",
        gib(procStatus("VmHWM")), gib(peakRss[0]));
    StringBuilder sb = new StringBuilder("PROBE Spark executor peaks (local mode: this JVM):");
    if (Listener.PEAKS.isEmpty()) {
      sb.append(" none reported");
    }
    for (String name : METRICS) {
      Long v = Listener.PEAKS.get(name);
      if (v != null) {
        sb.append(' ').append(name).append(' ')
            .append(name.endsWith("Time") ? String.format(Locale.ROOT, "%.1f s", v / 1e3)
                : gib(v))
            .append(',');
      }
    }
    System.out.println(sb.toString().replaceAll(",$", ""));
    if (model != null && status == 0) {
      training(Path.of(model));
    }
    System.exit(status);
  }

  /** The training figures from {@code dir/model.json}. */
  private static void training(Path dir) throws IOException {
    JsonNode p = new ObjectMapper().readTree(dir.resolve("model.json").toFile())
        .path("provenance");
    long cached = p.path("cached_bytes").asLong();
    long raw = p.path("raw_float32_bytes").asLong();
    System.out.printf(Locale.ROOT, "PROBE training data: %,d train rows, %,d validation rows, "
        + "%s partitions, %s input; cached %s (%,d bytes) vs raw float32 features %s "
        + "(ratio %.3g)%n",
        p.path("rows").path("train").asLong(), p.path("rows").path("validation").asLong(),
        p.path("partitions").asText("?"), p.path("input").asText("dense"), gib(cached), cached,
        gib(raw), raw == 0 ? 0.0 : (double) cached / raw);
    for (JsonNode h : p.path("history")) {
      System.out.printf(Locale.ROOT, "PROBE epoch %d: %.0f samples/s, train loss %.4f, "
          + "validation metric %s, elapsed %.1f s, %d steps so far%n", h.path("epoch").asInt(),
          h.path("samples_per_second").asDouble(), h.path("train_loss").asDouble(),
          h.has("validation_metric")
              ? String.format(Locale.ROOT, "%.4f", h.path("validation_metric").asDouble()) : "-",
          h.path("elapsed_seconds").asDouble(), h.path("steps").asLong());
    }
  }

  /** A {@code kB} field of {@code /proc/self/status} in bytes; 0 where there is none. */
  static long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024L;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }
}
