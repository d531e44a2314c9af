package io.sparkmlp.model;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process-wide BLAS from {@code dev.ludovic.netlib} (the library Spark MLlib uses).
 *
 * <p>netlib picks, in order: native OpenBLAS/reference BLAS through JNI when the system has
 * {@code libblas.so.3} (Debian: {@code libopenblas0}); the Java Vector API implementation when the
 * JVM runs with {@code --add-modules jdk.incubator.vector}; plain Java otherwise. The choice is
 * logged once per JVM, naming the native library actually mapped into the process (OpenBLAS and its
 * version, reference BLAS, or another path). Executors should run with {@code OPENBLAS_NUM_THREADS=1}:
 * Spark already runs one task per core.
 *
 * <p>A DYNAMIC_ARCH OpenBLAS chooses its kernels when it loads, from {@code OPENBLAS_CORETYPE} or
 * else from the CPU model; a build older than the CPU falls back to SSE3 kernels several times
 * slower than the CPU's AVX2 or AVX-512 ones. The log line says which applies; the project's scripts
 * set the variable from the CPU's flags ({@code scripts/common.sh}).
 *
 * <p>The environment variable {@value #ENV} (or the system property {@value #PROPERTY}) set to
 * {@code java} forces the Java implementation even when a native BLAS is installed, e.g. to compare
 * the two or to rule out a native library.
 */
public final class Blas {
  private static final Logger LOG = LoggerFactory.getLogger(Blas.class);
  private static volatile BLAS instance;
  private static volatile boolean forced;

  /** Environment variable that selects the implementation: {@code java} forces the Java BLAS. */
  public static final String ENV = "SPARK_MLP_BLAS";
  /** System property with the same meaning as {@link #ENV} (it takes precedence). */
  public static final String PROPERTY = "spark.mlp.blas";
  private static final Pattern OPENBLAS =
      Pattern.compile("libopenblas[a-z0-9_]*?-r([0-9][0-9.]*)\\.so");

  private Blas() {}

  /** The BLAS instance, loading (and logging) it on first use. */
  public static BLAS get() {
    BLAS b = instance;
    if (b == null) {
      synchronized (Blas.class) {
        b = instance;
        if (b == null) {
          String choice = System.getProperty(PROPERTY, System.getenv(ENV));
          boolean forceJava = choice != null
              && choice.trim().toLowerCase(Locale.ROOT).equals("java");
          b = forceJava ? JavaBLAS.getInstance() : BLAS.getInstance();
          forced = forceJava;
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
      case "JNIBLAS" -> {
        String lib = nativeLibrary(mappedFiles());
        yield "native " + lib + (lib.startsWith("OpenBLAS")
            ? openBlasKernels(System.getenv("OPENBLAS_CORETYPE")) : "");
      }
      case "VectorBLAS" -> "java-vector-api (VectorBLAS; " + (forced ? "forced by " + ENV + "="
          + "java" : "no native libblas.so.3 was loaded") + ")";
      default -> "java (" + cls + "; without the Vector API: run with "
          + "--add-modules=jdk.incubator.vector)";
    };
  }

  /**
   * Names the native BLAS among the files mapped into this process: OpenBLAS with its version
   * (from the {@code libopenblas*-r<version>.so} file name), the reference BLAS, or the path of
   * whatever {@code libblas.so.3} resolved to.
   *
   * @param mapped paths of the shared objects mapped into the process
   */
  static String nativeLibrary(List<String> mapped) {
    String blas = null;
    for (String path : mapped) {
      Matcher m = OPENBLAS.matcher(path);
      if (m.find()) {
        return "OpenBLAS " + m.group(1) + " (" + path + ")";
      }
      if (blas == null && path.contains("libblas.so") && !path.contains("netlibblasjni")) {
        blas = path;
      }
    }
    if (blas == null) {
      return "(libblas.so.3; the loaded library could not be identified)";
    }
    return (blas.contains("/blas/") ? "reference BLAS (" : "BLAS (") + blas + ")";
  }

  /**
   * Which OpenBLAS kernels run: the ones {@code OPENBLAS_CORETYPE} names, or those of OpenBLAS's own
   * CPU detection, which falls back to slow SSE3 kernels on CPUs newer than the build (the
   * project's scripts set the variable from the CPU's instruction-set flags).
   *
   * @param coreType the value of {@code OPENBLAS_CORETYPE}, or null
   */
  static String openBlasKernels(String coreType) {
    return coreType == null || coreType.isBlank()
        ? ", kernels by OpenBLAS's CPU detection (OPENBLAS_CORETYPE unset)"
        : ", kernels OPENBLAS_CORETYPE=" + coreType.strip();
  }

  /** Shared objects mapped into this process (Linux {@code /proc/self/maps}; empty elsewhere). */
  private static List<String> mappedFiles() {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps"), StandardCharsets.UTF_8).stream()
          .map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')).strip())
          .filter(p -> p.contains(".so")).distinct().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
