package io.sparkmlp.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.model.Activation;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import io.sparkmlp.model.optim.OptimConfig;
import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.testing.SharedSpark;
import io.sparkmlp.testing.Synthetic;
import io.sparkmlp.testing.TaskKiller;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Local-SGD rounds over the direct socket exchange ({@link DirectRounds}) in local[2]: the same
 * bits as a Spark job per round, with one job per epoch; a killed task, or too few task slots,
 * falls back to Spark jobs with the same bits.
 */
class DirectRoundsTest {
  private static final NetworkSpec SPEC =
      NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.TANH), 6, 8, 3);

  private static JavaRDD<Row> data(int rows, int partitions) {
    return SharedSpark.jsc().parallelize(Synthetic.classification(rows, 6, 3, 7L), partitions);
  }

  /** DiLoCo's outer Nesterov update every 4 steps, validation on a quarter of the rows. */
  private static TrainerConfig.Builder cfg(RoundTransport transport) {
    return TrainerConfig.builder(SPEC).batchSize(32).epochs(3).seed(11L)
        .validationFraction(0.25)
        .optim(OptimConfig.defaults(OptimizerKind.ADAM, 0.01f))
        .sync(new SyncSettings(4, SyncSettings.Outer.NESTEROV, 0.7f, 0.9f))
        .roundTransport(transport);
  }

  /** Counts the jobs whose description contains a string. */
  private static final class JobCounter extends SparkListener {
    final AtomicInteger direct = new AtomicInteger();
    final AtomicInteger perRound = new AtomicInteger();

    @Override
    public void onJobStart(SparkListenerJobStart e) {
      String d = e.properties() == null ? null : e.properties().getProperty("spark.job.description");
      if (d != null && d.contains("(direct exchange)")) {
        direct.incrementAndGet();
      } else if (d != null && d.contains("(local round)")) {
        perRound.incrementAndGet();
      }
    }
  }

  private static TrainedModel fit(TrainerConfig c, int rows, int partitions, JobCounter jobs)
      throws Exception {
    SparkContext sc = SharedSpark.jsc().sc();
    sc.addSparkListener(jobs);
    try {
      TrainedModel m = new MlpTrainer(c).fitRows(data(rows, partitions), null);
      sc.listenerBus().waitUntilEmpty();
      return m;
    } finally {
      sc.removeSparkListener(jobs);
    }
  }

  @Test
  void socketRoundsGiveTheBitsOfSparkJobsWithOneJobPerEpoch() throws Exception {
    JobCounter viaSpark = new JobCounter();
    TrainedModel spark = fit(cfg(RoundTransport.SPARK).build(), 600, 2, viaSpark);
    JobCounter viaSockets = new JobCounter();
    int fallbacks = DirectRounds.FALLBACKS.get();
    TrainedModel direct = fit(cfg(RoundTransport.DIRECT).build(), 600, 2, viaSockets);

    assertArrayEquals(spark.params(), direct.params());
    for (int e = 0; e < 3; e++) {
      assertEquals(spark.history().get(e).trainLoss(), direct.history().get(e).trainLoss());
      assertEquals(spark.history().get(e).validationLoss(),
          direct.history().get(e).validationLoss());
    }
    // 450 training rows, batch 32: 15 steps per epoch, rounds of 4: 4 rounds per epoch
    assertEquals(12, viaSpark.perRound.get());
    assertEquals(0, viaSpark.direct.get());
    assertEquals(3, viaSockets.direct.get(), "one job per epoch");
    assertEquals(0, viaSockets.perRound.get());
    assertEquals(fallbacks, DirectRounds.FALLBACKS.get());
  }

  @Test
  void synchronousStepsOverSocketsGiveTheBitsOfSparkJobs() throws Exception {
    TrainerConfig.Builder sync = cfg(RoundTransport.SPARK).sync(SyncSettings.SYNCHRONOUS);
    TrainedModel spark = new MlpTrainer(sync.build()).fitRows(data(600, 2), null);
    JobCounter jobs = new JobCounter();
    TrainedModel direct = fit(sync.roundTransport(RoundTransport.DIRECT).build(), 600, 2, jobs);
    assertArrayEquals(spark.params(), direct.params());
    assertEquals(spark.history().get(2).validationLoss(), direct.history().get(2).validationLoss());
    assertEquals(3, jobs.direct.get(), "one job per epoch");
    // bfloat16 transfer is not shipped over sockets: a job per step
    JobCounter bf = new JobCounter();
    fit(sync.transferPrecision(TransferPrecision.BFLOAT16).build(), 600, 2, bf);
    assertEquals(0, bf.direct.get());
  }

  /**
   * Kills the first attempt of the tasks of a direct-exchange epoch. Spark's kill lands at an
   * unknown moment: before the task connected (its second attempt then simply takes its place),
   * during the epoch (the exchange fails and every later round is a Spark job), or after the last
   * round (the second attempt is told the epoch is over). Every case must give the undisturbed
   * bits; the run is repeated until the middle case, the fallback, has been seen.
   */
  @Test
  void killedTasksGiveTheSameBitsAndAFailedExchangeFallsBackToSparkJobs() throws Exception {
    TrainerConfig.Builder b = cfg(RoundTransport.SPARK).epochs(2);
    TrainedModel undisturbed = new MlpTrainer(b.build()).fitRows(data(3000, 2), null);
    SparkContext sc = SharedSpark.jsc().sc();
    boolean fellBack = false;
    for (int attempt = 0; attempt < 4 && !fellBack; attempt++) {
      TaskKiller killer = new TaskKiller(sc, d -> d.contains("(direct exchange)"));
      sc.addSparkListener(killer);
      int fallbacks = DirectRounds.FALLBACKS.get();
      JobCounter jobs = new JobCounter();
      TrainedModel disturbed;
      try {
        disturbed = fit(b.roundTransport(RoundTransport.DIRECT).build(), 3000, 2, jobs);
      } finally {
        sc.removeSparkListener(killer);
      }
      assertTrue(killer.killed.get() > 0, "no direct-exchange task was killed");
      assertArrayEquals(undisturbed.params(), disturbed.params());
      if (DirectRounds.FALLBACKS.get() > fallbacks) {
        fellBack = true;
        // 2250 training rows, batch 32: 71 steps per epoch, 18 rounds of 4; a failure in epoch e
        // leaves e direct jobs, and every round from the failed one on is a Spark job
        assertTrue(jobs.direct.get() <= 2 && jobs.perRound.get() >= 18 * (2 - jobs.direct.get()),
            "direct jobs " + jobs.direct + ", per-round jobs " + jobs.perRound);
      }
    }
    assertTrue(fellBack, "no kill landed during an epoch in 4 runs");
  }

  @Test
  void morePartitionsThanSlotsUseSparkJobs() throws Exception {
    // local[2] has 2 task slots: 3 partitions cannot all wait for each other at once
    JobCounter jobs = new JobCounter();
    TrainedModel direct = fit(cfg(RoundTransport.DIRECT).build(), 600, 3, jobs);
    assertEquals(0, jobs.direct.get());
    TrainedModel spark = new MlpTrainer(cfg(RoundTransport.SPARK).build())
        .fitRows(data(600, 3), null);
    assertArrayEquals(spark.params(), direct.params());
  }

  @Test
  void autoKeepsLocalModeInMemoryAndTheKeyParses() throws Exception {
    JobCounter jobs = new JobCounter();
    fit(cfg(RoundTransport.AUTO).build(), 600, 2, jobs);
    assertEquals(0, jobs.direct.get(), "local mode hands rounds over in memory");
    assertEquals(RoundTransport.DIRECT, RoundTransport.parse(" Direct "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RoundTransport.parse("rdma"));
    assertEquals("round transport 'rdma' is not one of auto, direct, spark", e.getMessage());
  }
}
