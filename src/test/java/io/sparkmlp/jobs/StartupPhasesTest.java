package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkmlp.trainer.DataReport;
import io.sparkmlp.trainer.Startup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The train job's start-up line: each phase's wall time, the rows packed, the total. */
class StartupPhasesTest {

  @Test
  void phasesInOrderThenPackAndTheTotal() throws Exception {
    StartupPhases p = new StartupPhases();
    p.mark("config");
    Thread.sleep(20);
    p.mark("session");
    p.mark("read+prepare");
    Map<String, Double> s = p.seconds();
    assertEquals(List.of("config", "session", "read+prepare"), List.copyOf(s.keySet()));
    assertTrue(s.get("session") >= 0.019, s.toString());

    StartupPhases fixed = new StartupPhases(); // no phase marked: the trainer's packing only
    Startup st = new Startup(0.84, new DataReport(9000, 2, 0, 0, 0),
        new DataReport(1000, 2, 0, 0, 0));
    String line = fixed.describe(st);
    assertTrue(line.startsWith("start-up: "), line);
    assertTrue(line.contains("pack 0.8 s (train 9,000 rows, validation 1,000 rows)"), line);
    String withPhases = p.describe(st);
    assertTrue(withPhases.matches("start-up: config \\d+\\.\\d s, session \\d+\\.\\d s, "
        + "read\\+prepare \\d+\\.\\d s, pack 0\\.8 s \\(train 9,000 rows, validation 1,000 "
        + "rows\\); \\d+\\.\\d s before the first step"), withPhases);
    Startup noValidation = new Startup(1.25, new DataReport(360, 1, 0, 0, 0), null);
    assertTrue(p.describe(noValidation).contains("pack 1.3 s (train 360 rows); "),
        p.describe(noValidation));
  }
}
