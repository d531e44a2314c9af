package io.sparkmlp.trainer.store;

import java.io.IOException;

/**
 * An output could not be written because another write of the same path is in progress, or the
 * path appeared while this one was writing. The message names the path; nothing was replaced.
 */
public final class ConcurrentWriteException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line {@code message} naming the path. */
  public ConcurrentWriteException(String message) {
    super(message);
  }
}
