package io.sparkmlp.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OpenBLAS kernels the scripts choose ({@code scripts/common.sh}): from the CPU's
 * instruction-set flags, unless the environment already names them.
 */
class OpenBlasCoreTypeTest {

  /** What {@code bash -c script} prints (stripped), with {@code env} added to the environment. */
  private static String bash(String script, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true);
    pb.environment().remove("OPENBLAS_CORETYPE");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private static String coreFor(String flags) throws Exception {
    return bash("source scripts/common.sh; openblas_coretype '" + flags + "'", Map.of());
  }

  @Test
  void avx512CpusGetTheSkylakeXKernels() throws Exception {
    assertEquals("SkylakeX", coreFor("fpu sse sse2 ssse3 sse4_2 avx avx2 fma avx512f avx512dq "
        + "avx512cd avx512bw avx512vl avx512_bf16 amx_tile"));
  }

  @Test
  void avx2CpusGetTheHaswellKernels() throws Exception {
    assertEquals("Haswell", coreFor("fpu sse sse2 avx avx2 fma bmi2"));
    // AVX-512 without the BW/DQ/VL subsets the SkylakeX kernels use (Knights Landing): Haswell
    assertEquals("Haswell", coreFor("fpu avx avx2 fma avx512f avx512cd avx512er avx512pf"));
  }

  @Test
  void olderCpusKeepOpenBlasDetection() throws Exception {
    assertEquals("", coreFor("fpu sse sse2 sse3 ssse3 sse4_1 sse4_2 avx"));
    // AVX2 without FMA is not Haswell's kernel set; a name that only contains a flag is not it
    assertEquals("", coreFor("fpu avx avx2"));
    assertEquals("", coreFor("fpu xavx2 fmax"));
  }

  @Test
  void theScriptsExportTheChoiceAndKeepAUsersValue() throws Exception {
    String chosen = bash("source scripts/common.sh; openblas_coretype", Map.of());
    String exported = bash("source scripts/common.sh; bash -c 'echo \"[$OPENBLAS_CORETYPE]\"'",
        Map.of());
    assertEquals("[" + chosen + "]", exported);
    assertEquals("[Zen]", bash("source scripts/common.sh; bash -c 'echo \"[$OPENBLAS_CORETYPE]\"'",
        Map.of("OPENBLAS_CORETYPE", "Zen")));
  }
}
