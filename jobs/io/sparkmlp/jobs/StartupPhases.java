package io.sparkmlp.jobs;

import io.sparkmlp.trainer.Startup;
import io.sparkmlp.trainer.TrainingListener;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wall time of the train job's start-up phases (configuration and output checks, Spark session,
 * reading and preparing the input, packing), logged as one line when the trainer is about to take
 * its first step:
 *
 * <pre>
 * start-up: config 0.3 s, session 2.1 s, read+prepare 1.3 s, pack 0.8 s (train 9,000 rows,
 * validation 1,000 rows); 4.5 s before the first step
 * </pre>
 */
final class StartupPhases implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(StartupPhases.class);

  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private long last = System.nanoTime();

  /** Ends the phase named {@code phase}: the time since the previous mark (or creation). */
  void mark(String phase) {
    long now = System.nanoTime();
    seconds.merge(phase, (now - last) / 1e9, Double::sum);
    last = now;
  }

  /** Seconds per phase marked so far, in order. */
  Map<String, Double> seconds() {
    return new LinkedHashMap<>(seconds);
  }

  @Override
  public void onStart(Startup s) {
    LOG.info(describe(s));
  }

  /** The start-up line: the marked phases, then the trainer's packing and the rows packed. */
  String describe(Startup s) {
    StringBuilder sb = new StringBuilder("start-up:");
    double total = s.packSeconds();
    for (Map.Entry<String, Double> e : seconds.entrySet()) {
      sb.append(String.format(Locale.ROOT, " %s %.1f s,", e.getKey(), e.getValue()));
      total += e.getValue();
    }
    sb.append(String.format(Locale.ROOT, " pack %.1f s (train %,d rows", s.packSeconds(),
        s.train().rows()));
    if (s.validation() != null) {
      sb.append(String.format(Locale.ROOT, ", validation %,d rows", s.validation().rows()));
    }
    return sb.append(String.format(Locale.ROOT, "); %.1f s before the first step", total))
        .toString();
  }
}
