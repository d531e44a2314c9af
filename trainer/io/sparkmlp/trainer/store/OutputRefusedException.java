package io.sparkmlp.trainer.store;

import java.io.IOException;

/**
 * An existing path was not replaced because spark-mlp did not write it as an output of the kind
 * being written (a model, an input, an unrelated file or directory). The message names the path.
 */
public final class OutputRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** An exception with a one-line {@code message} naming the path. */
  public OutputRefusedException(String message) {
    super(message);
  }
}
