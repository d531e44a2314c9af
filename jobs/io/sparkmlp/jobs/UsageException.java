package io.sparkmlp.jobs;

/**
 * A command line that does not fit the command (such as an unknown option): {@link Main} reports
 * it in one line with exit code 2, like an unknown command.
 */
final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** A usage error described by {@code message}. */
  UsageException(String message) {
    super(message);
  }
}
