package io.sparkmlp.trainer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronous steps and local-SGD rounds over sockets: one Spark job per epoch instead of one per
 * step or round.
 *
 * <p>Through Spark ({@link PartitionTasks.Step}, {@link PartitionTasks.LocalRound}) every step is
 * a job: the weights are broadcast, each task is serialized, scheduled and deserialized, and each
 * result crosses Spark's Java-serialized task-result path. On the 2-worker cluster of
 * {@code scripts/cluster.sh} that is ~175 ms per local-SGD round of the MNIST recipe, and the
 * three JVMs' JIT compilers spend about half of the two cores compiling that machinery during the
 * first ~25 epochs (BENCHMARKS.md (d)). Here the driver starts one job per epoch whose tasks each
 * open a socket to the driver, announce their partition, and then serve the epoch's steps: the
 * driver writes the step's weights (a synchronous step) or the round's start (the bits of
 * {@link RoundStart}) to every task, each task runs exactly the function a Spark task of that
 * step runs ({@link PartitionTasks.RoundWork#step}, {@link PartitionTasks.RoundWork#run}) and
 * writes its sums back, and the driver sums them in partition order
 * ({@link PartialSums#sumInOrder}, the depth-1 reduction). The values are the same bits either
 * way: only the transport changes.
 *
 * <p>It needs every partition's task to run at once, so it is used only when the cluster has at
 * least as many task slots as partitions ({@code SparkContext.maxNumConcurrentTasks}) and the
 * reduction has depth 1; otherwise, and whenever anything goes wrong, steps go through Spark jobs.
 * <b>Failures.</b> A task that fails, is killed or is lost (Spark reports it, its socket closes,
 * or another attempt of it connects), a task that cannot start within
 * {@link #RENDEZVOUS_SECONDS}, or any I/O error ends the session: the driver cancels the epoch's
 * job and computes the interrupted step, and every later step of the run, through Spark jobs from
 * the same weights. Nothing of a step is kept on the executors (each starts from what the driver
 * sends), so the run's bits do not depend on whether or where it failed. A retried attempt of a
 * task whose epoch already ended (its first attempt was killed after the last step) is told the
 * epoch is over.
 *
 * <p><b>Security.</b> The listening socket accepts only connections that present the session's
 * random 128-bit token, which reaches the tasks inside the Spark task itself (Spark's own,
 * possibly authenticated, channel). The data crosses the socket unencrypted, like Spark's block
 * transfers without {@code spark.network.crypto.enabled}; with that set, the trainer does not use
 * this class.
 */
final class DirectRounds implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectRounds.class);

  /** Seconds the driver waits for every partition's task to connect before using Spark jobs. */
  static final int RENDEZVOUS_SECONDS = 30;
  /** Socket read timeout: how often a blocked read checks whether its peer is still wanted. */
  private static final int POLL_MILLIS = 500;
  /** Socket read timeout inside a message, whose bytes are written at once. */
  private static final int BODY_TIMEOUT_MILLIS = 120_000;

  /** Sessions that ended in a failure and fell back to Spark jobs (for tests and logs). */
  static final AtomicInteger FALLBACKS = new AtomicInteger();

  private final JavaSparkContext jsc;
  private final SecureRandom random = new SecureRandom();
  private ServerSocket server;
  private volatile Session session;
  /** The last session that ended after all its rounds: late attempts of its tasks get END. */
  private volatile Session ended;
  /** Set after a failure: the rest of the run uses Spark jobs. */
  private boolean broken;
  private long nextSession = 1;

  DirectRounds(JavaSparkContext jsc) {
    this.jsc = jsc;
  }

  /**
   * Whether rounds of {@code partitions} tasks can run over sockets in this session: enough task
   * slots for all of them at once.
   */
  static boolean slotsFor(JavaSparkContext jsc, int partitions) {
    org.apache.spark.SparkContext sc = jsc.sc();
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile())
        >= partitions;
  }

  /** Whether a session failed earlier in this run (rounds then go through Spark jobs). */
  boolean broken() {
    return broken;
  }

  /**
   * Starts the epoch's job over {@code blocks}: one task per partition, each serving the rounds of
   * {@code work}'s epoch until {@link #endEpoch}. The tasks connect in the background; the first
   * {@link #round} waits for them.
   */
  void beginEpoch(JavaRDD<PackedBlock> blocks, PartitionTasks.RoundWork work, String description)
      throws IOException {
    if (server == null) {
      open();
    }
    int partitions = blocks.getNumPartitions();
    long id = nextSession++;
    long[] token = {random.nextLong(), random.nextLong()};
    Session s = new Session(id, token, partitions, work.epoch());
    session = s;
    Task task = new Task(work, driverHost(), server.getLocalPort(), id, token[0], token[1]);
    jsc.setJobDescription(description);
    String before = jsc.getLocalProperty(SESSION_PROPERTY);
    jsc.setLocalProperty(SESSION_PROPERTY, Long.toString(id));
    try {
      s.job = blocks.foreachPartitionAsync(task);
    } finally {
      jsc.setLocalProperty(SESSION_PROPERTY, before);
    }
  }

  /**
   * One round over the sockets: sends {@code start} and the round's steps to every partition's
   * task and sums their results in partition order. Returns null when the session failed (logged
   * once; the caller then computes the round through a Spark job, and this object stays broken).
   */
  PartialSums round(RoundStart start, int firstStep, int steps) {
    return exchange(firstStep, 4 * start.values.length + 1024, out -> {
      out.writeInt(RoundWire.ROUND);
      out.writeInt(firstStep);
      out.writeInt(steps);
      RoundWire.writeStart(out, start);
    });
  }

  /**
   * One synchronous step over the sockets: sends the weights and the step's index in the epoch
   * to every partition's task and sums their float32 gradient sums in partition order. Null when
   * the session failed, as for {@link #round}.
   */
  PartialSums step(float[] params, int step) {
    return exchange(step, 4 * params.length + 64, out -> {
      out.writeInt(RoundWire.STEP);
      out.writeInt(step);
      RoundWire.writeFloats(out, params, params.length);
    });
  }

  /** A message to every task, written once. */
  private interface Message {
    void writeTo(DataOutputStream out) throws IOException;
  }

  /**
   * Writes {@code message} (about {@code bytes} long) to every task of the session and sums
   * their results in partition order; null, after {@link #fail}, when anything goes wrong.
   *
   * @param step the step's index in the epoch, for the log
   */
  private PartialSums exchange(int step, int bytes, Message message) {
    Session s = session;
    if (s == null) {
      return null;
    }
    try {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(bytes);
      DataOutputStream out = new DataOutputStream(buf);
      message.writeTo(out);
      out.flush();
      byte[] msg = buf.toByteArray();
      s.awaitConnected();
      for (Peer p : s.peers) {
        p.out.write(msg);
        p.out.flush();
      }
      PartialSums[] parts = new PartialSums[s.peers.length];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = RoundWire.readResult(s.peers[i].in(), s::alive);
      }
      return PartialSums.sumInOrder(parts);
    } catch (IOException | RuntimeException e) {
      fail(s, "epoch " + s.epoch + " step " + (step + 1), e);
      return null;
    }
  }

  /** Ends the epoch's session: tells the tasks to return and waits for the job. */
  void endEpoch() {
    Session s = session;
    if (s == null) {
      return;
    }
    if (!s.connected()) {
      abandon(s); // no step ran: the epoch stopped before its first
      return;
    }
    session = null;
    ended = s;
    try {
      for (Peer p : s.peers) {
        p.out.writeInt(RoundWire.END);
        p.out.flush();
      }
      s.job.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the direct round exchange of epoch {} did not end cleanly ({}); later steps go "
          + "through Spark jobs", s.epoch, describe(e));
      broken = true;
      s.job.cancel(true);
    } finally {
      s.closePeers();
    }
  }

  private void fail(Session s, String where, Exception e) {
    broken = true;
    FALLBACKS.incrementAndGet();
    abandon(s);
    LOG.warn("direct round exchange failed at {} ({}): that step and the rest of the run go "
        + "through Spark jobs, from the same weights", where, describe(e));
  }

  /** Ends session {@code s} without waiting: closes its sockets and cancels its job. */
  private void abandon(Session s) {
    session = null;
    s.closePeers();
    s.job.cancel(true);
  }

  /** Closes the listening socket (and any session left open). */
  @Override
  public void close() {
    Session s = session;
    if (s != null) {
      abandon(s);
    }
    if (server != null) {
      jsc.sc().removeSparkListener(failures);
      try {
        server.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private void open() throws IOException {
    String bind = jsc.getConf().get("spark.driver.bindAddress", null);
    server = new ServerSocket();
    server.bind(new InetSocketAddress(bind == null ? null : InetAddress.getByName(bind), 0), 64);
    Thread acceptor = new Thread(this::acceptLoop, "spark-mlp round exchange");
    acceptor.setDaemon(true);
    acceptor.start();
    jsc.sc().addSparkListener(failures);
    LOG.info("direct round exchange listening on port {}: steps go over sockets, one Spark job "
        + "per epoch", server.getLocalPort());
  }

  /** The Spark local property that tags an epoch job's stages with its session id. */
  private static final String SESSION_PROPERTY = "spark-mlp.direct-session";

  /**
   * Ends the current session as soon as Spark reports one of its tasks as failed, killed or lost
   * (a lost executor's task may not close its socket when its host vanishes, and its retry may
   * wait for a free slot that the session's own tasks hold).
   */
  private final org.apache.spark.scheduler.SparkListener failures =
      new org.apache.spark.scheduler.SparkListener() {
        private final java.util.Map<Integer, Long> stageSessions =
            new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void onStageSubmitted(org.apache.spark.scheduler.SparkListenerStageSubmitted e) {
          String id = e.properties() == null ? null : e.properties().getProperty(SESSION_PROPERTY);
          if (id != null) {
            stageSessions.put(e.stageInfo().stageId(), Long.parseLong(id));
          }
        }

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd e) {
          Long id = stageSessions.get(e.stageId());
          Session s = session;
          if (id != null && s != null && s.id == id
              && !(e.reason() instanceof org.apache.spark.Success$)) {
            s.lost = "task " + e.taskInfo().index() + "." + e.taskInfo().attemptNumber()
                + " ended: " + describe(e.reason().toString());
          }
        }
      };

  private String driverHost() {
    return jsc.getConf().get("spark.driver.host", "localhost");
  }

  /** Accepts connections for the run's lifetime and hands each to the current session. */
  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket sock;
      try {
        sock = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        sock.setSoTimeout(10_000);
        sock.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(
            new BufferedInputStream(sock.getInputStream(), 1 << 16));
        if (in.readInt() != RoundWire.MAGIC) {
          throw new IOException("not a round exchange hello");
        }
        long id = in.readLong();
        long t0 = in.readLong();
        long t1 = in.readLong();
        int partition = in.readInt();
        int attempt = in.readInt();
        Session done = ended;
        if (done != null && done.matches(id, t0, t1)) {
          // a retried attempt of a task whose epoch is over (its first attempt was killed after
          // the last round): nothing left to compute
          DataOutputStream out = new DataOutputStream(sock.getOutputStream());
          out.writeInt(RoundWire.END);
          out.flush();
          sock.close();
          continue;
        }
        Session s = session;
        if (s == null || !s.matches(id, t0, t1)) {
          throw new IOException("hello for no open session");
        }
        sock.setSoTimeout(POLL_MILLIS);
        s.register(partition, attempt, new Peer(sock, in,
            new DataOutputStream(new BufferedOutputStream(sock.getOutputStream(), 1 << 16))));
      } catch (IOException | RuntimeException e) {
        try {
          sock.close();
        } catch (IOException ignored) {
          // dropping it
        }
      }
    }
  }

  /** One task's end of the exchange, as the driver sees it. */
  private record Peer(Socket socket, InputStream in, DataOutputStream out) {}

  /** The connections of one epoch's job. */
  private static final class Session {
    final long id;
    final long[] token;
    final int epoch;
    final Peer[] peers;
    JavaFutureAction<Void> job;
    /** Set when a second attempt of a connected partition, or a bad partition, says hello. */
    volatile String lost;
    private int connected;

    Session(long id, long[] token, int partitions, int epoch) {
      this.id = id;
      this.token = token;
      this.epoch = epoch;
      this.peers = new Peer[partitions];
    }

    boolean matches(long id, long t0, long t1) {
      return this.id == id && token[0] == t0 && token[1] == t1;
    }

    synchronized void register(int partition, int attempt, Peer p) {
      if (partition < 0 || partition >= peers.length || peers[partition] != null) {
        lost = "partition " + partition + " connected again (attempt " + attempt
            + "): an earlier attempt failed";
        closeQuietly(p.socket());
        notifyAll();
        return;
      }
      peers[partition] = p;
      connected++;
      notifyAll();
    }

    synchronized boolean connected() {
      return connected == peers.length;
    }

    /** Whether reads should keep waiting: no task lost, the job still running. */
    boolean alive() {
      return lost == null && !job.isDone();
    }

    synchronized void awaitConnected() throws IOException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RENDEZVOUS_SECONDS);
      while (connected < peers.length) {
        if (!alive()) {
          throw new IOException(lost != null ? lost : "the epoch's job ended before all "
              + peers.length + " tasks connected");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException(connected + " of " + peers.length + " tasks connected within "
              + RENDEZVOUS_SECONDS + " s (too few free task slots?)");
        }
        try {
          wait(Math.min(POLL_MILLIS, Math.max(1, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      if (lost != null) {
        throw new IOException(lost);
      }
    }

    synchronized void closePeers() {
      for (Peer p : peers) {
        if (p != null) {
          closeQuietly(p.socket());
        }
      }
    }
  }

  /** The first line of a failure's message, with its type when it has none. */
  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : describe(m);
  }

  /** The first line of {@code m}. */
  private static String describe(String m) {
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  /**
   * A partition's side: connect, say hello, then run each round the driver sends until it says
   * the epoch is over. A named class (not a lambda) so that Spark's closure cleaner returns at
   * once.
   */
  static final class Task implements VoidFunction<Iterator<PackedBlock>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final PartitionTasks.RoundWork work;
    private final String host;
    private final int port;
    private final long session;
    private final long token0;
    private final long token1;

    Task(PartitionTasks.RoundWork work, String host, int port, long session, long token0,
        long token1) {
      this.work = work;
      this.host = host;
      this.port = port;
      this.session = session;
      this.token0 = token0;
      this.token1 = token1;
    }

    @Override
    public void call(Iterator<PackedBlock> blocks) throws Exception {
      TaskContext ctx = TaskContext.get();
      int partition = ctx.partitionId();
      PartitionTasks.RoundWork.Held held = work.hold(partition,
          scala.collection.JavaConverters.asScalaIterator(blocks));
      try (Socket sock = new Socket()) {
        sock.connect(new InetSocketAddress(host, port), 30_000);
        sock.setTcpNoDelay(true);
        sock.setSoTimeout(POLL_MILLIS);
        DataOutputStream out = new DataOutputStream(
            new BufferedOutputStream(sock.getOutputStream(), 1 << 16));
        DataInputStream in = new DataInputStream(
            new BufferedInputStream(sock.getInputStream(), 1 << 16));
        out.writeInt(RoundWire.MAGIC);
        out.writeLong(session);
        out.writeLong(token0);
        out.writeLong(token1);
        out.writeInt(partition);
        out.writeInt(ctx.attemptNumber());
        out.flush();
        // a killed or cancelled task stops waiting within POLL_MILLIS, and before any round
        BooleanSupplier alive = () -> {
          ctx.killTaskIfInterrupted();
          return true;
        };
        float[] values = null;
        while (true) {
          int cmd = RoundWire.readInt(in, alive);
          if (cmd == RoundWire.END) {
            return;
          }
          if (cmd != RoundWire.ROUND && cmd != RoundWire.STEP) {
            throw new IOException("unexpected round exchange message " + cmd);
          }
          ctx.killTaskIfInterrupted();
          // the rest of the message follows at once: a long pause in it means a lost driver
          sock.setSoTimeout(BODY_TIMEOUT_MILLIS);
          if (cmd == RoundWire.STEP) {
            int step = in.readInt();
            values = RoundWire.readFloats(in, values, null);
            RoundWire.writeResult(out, work.step(held, values, step));
          } else {
            int firstStep = in.readInt();
            int steps = in.readInt();
            RoundStart st = RoundWire.readStart(in, values);
            values = st.values;
            RoundWire.writeResult(out, work.run(held, st, firstStep, steps));
          }
          sock.setSoTimeout(POLL_MILLIS);
        }
      } catch (SocketTimeoutException e) {
        throw new IOException("the driver's round exchange stopped answering", e);
      }
    }
  }
}
