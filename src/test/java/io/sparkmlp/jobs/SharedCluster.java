package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One two-worker standalone cluster ({@code scripts/cluster.sh start 2}) shared by every cluster IT
 * in the Failsafe JVM: started on first use, stopped when the JVM exits. Starting a master and two
 * workers costs seconds of CPU each time; the ITs run one after the other, so they can share it.
 */
final class SharedCluster {
  private static ClusterScripts cluster;

  private SharedCluster() {}

  /** The running cluster, started on first use. */
  static synchronized ClusterScripts get() throws Exception {
    if (cluster == null) {
      ClusterScripts c = new ClusterScripts("it-cluster");
      c.run("stop");
      ClusterScripts.Result r = c.run("start", "2");
      assertEquals(0, r.status(), "cluster start failed:\n" + r.output());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          c.run("stop");
        } catch (Exception e) {
          System.err.println("could not stop the test cluster: " + e);
        }
      }));
      cluster = c;
    }
    return cluster;
  }
}
