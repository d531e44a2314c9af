package io.sparkmlp.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on error messages shared by the reader tests. */
public final class ErrorMessages {
  private ErrorMessages() {}

  /** Asserts that the message of {@code e} contains every one of {@code parts}. */
  public static void assertMentions(Throwable e, String... parts) {
    for (String s : parts) {
      assertTrue(e.getMessage().contains(s), "'" + s + "' missing from: " + e.getMessage());
    }
  }
}
