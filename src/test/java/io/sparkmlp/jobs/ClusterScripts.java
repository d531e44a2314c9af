package io.sparkmlp.jobs;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code scripts/cluster.sh} for one test cluster (own state folder and master port). */
final class ClusterScripts {
  /** Exit status and combined output of one command. */
  record Result(int status, String output) {}

  private final Map<String, String> env;
  private final String clusterDir;

  ClusterScripts(String name) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    clusterDir = new File("target/" + name).getAbsolutePath();
    env = Map.of("CLUSTER_DIR", clusterDir, "MASTER_PORT", Integer.toString(port),
        "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_MLP_SKIP_BUILD", "1");
  }

  /** The cluster's state folder (executor command lines contain it). */
  String clusterDir() {
    return clusterDir;
  }

  /** Runs the script with arguments to completion, output to {@code log}. */
  Result run(Path log, String... args) throws IOException, InterruptedException {
    Process p = start(log, args);
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, "timed out: " + String.join(" ", args));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    return new Result(p.exitValue(),
        out.length() > 20000 ? out.substring(out.length() - 20000) : out);
  }

  /** Runs the script with arguments to completion, output to a temporary file. */
  Result run(String... args) throws IOException, InterruptedException {
    Path log = Files.createTempFile("cluster-it", ".log");
    try {
      return run(log, args);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /**
   * Starts a shell command line (e.g. one copied from the README) in the background with this
   * cluster's environment, output to {@code log}.
   */
  Process startShell(Path log, String commandLine) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", commandLine).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  /** Starts the script in the background, output to {@code log}. */
  Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add("scripts/cluster.sh");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }
}
