package io.sparkmlp.model;

import dev.ludovic.netlib.blas.BLAS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide BLAS from {@code dev.ludovic.netlib} (the library Spark MLlib uses).
 *
 * <p>netlib picks, in order: native OpenBLAS/reference BLAS through JNI when the system has
 * {@code libblas.so.3} (Debian: {@code libopenblas0}); the Java Vector API implementation when the
 * JVM runs with {@code --add-modules jdk.incubator.vector}; plain Java otherwise. The choice is
 * logged once per JVM. Executors should run with {@code OPENBLAS_NUM_THREADS=1}: Spark already runs
 * one task per core.
 */
public final class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static volatile BLAS instance;

  private Blas() {}

  /** The BLAS instance, loading (and logging) it on first use. */
  public static BLAS get() {
    BLAS b = instance;
    if (b == null) {
      synchronized (Blas.class) {
        b = instance;
        if (b == null) {
          b = BLAS.getInstance();
          LOG.info("BLAS implementation: {}", describe(b));
          instance = b;
        }
      }
    }
    return b;
  }

  /** Human-readable name of the active implementation: native, vector or java. */
  public static String implementation() {
    return describe(get());
  }

  private static String describe(BLAS b) {
    String cls = b.getClass().getSimpleName();
    return switch (cls) {
      case "JNIBLAS" -> "native (JNIBLAS via libblas.so.3)";
      case "VectorBLAS" -> "java-vector-api (VectorBLAS)";
      default -> "java (" + cls + ")";
    };
  }
}
