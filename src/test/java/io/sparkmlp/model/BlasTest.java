package io.sparkmlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The BLAS the log names: the library actually mapped into the process. */
class BlasTest {

  @Test
  void namesOpenBlasWithItsVersion() {
    assertEquals("OpenBLAS 0.3.21 (/usr/lib/x86_64-linux-gnu/openblas-pthread/"
        + "libopenblasp-r0.3.21.so)", Blas.nativeLibrary(List.of(
            "/tmp/libnetlibblasjni.so123", "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so")));
  }

  @Test
  void namesTheReferenceBlas() {
    assertEquals("reference BLAS (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)",
        Blas.nativeLibrary(List.of("/tmp/libnetlibblasjni.so1",
            "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0")));
  }

  @Test
  void saysWhenTheLibraryCannotBeIdentified() {
    assertTrue(Blas.nativeLibrary(List.of()).contains("could not be identified"));
  }

  @Test
  void saysWhichOpenBlasKernelsRun() {
    assertEquals(", kernels OPENBLAS_CORETYPE=SkylakeX", Blas.openBlasKernels(" SkylakeX\n"));
    assertTrue(Blas.openBlasKernels(null).contains("OPENBLAS_CORETYPE unset"));
    assertTrue(Blas.openBlasKernels(" ").contains("OPENBLAS_CORETYPE unset"));
  }

  @Test
  void theActiveImplementationIsNamed() {
    String impl = Blas.implementation();
    assertTrue(impl.startsWith("native OpenBLAS") || impl.startsWith("native reference BLAS")
        || impl.startsWith("native BLAS") || impl.startsWith("java"), impl);
  }
}
