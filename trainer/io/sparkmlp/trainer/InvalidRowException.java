package io.sparkmlp.trainer;

/**
 * An input row the trainer cannot use (a NaN or infinite feature or label), naming its partition
 * and index; thrown while packing unless such rows are dropped.
 */
public final class InvalidRowException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** An invalid row described by {@code message}. */
  public InvalidRowException(String message) {
    super(message);
  }

  /** The same error, raised again on the driver around {@code cause} (a failed Spark job). */
  public InvalidRowException(String message, Throwable cause) {
    super(message, cause);
  }
}
