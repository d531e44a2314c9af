package io.sparkmlp.ml;

import java.util.Objects;
import org.apache.spark.ml.util.Identifiable;

/**
 * Hands a uid to a Java subclass of a Spark ML class before the Scala superclass constructor runs.
 * Spark's Params traits create their Params (whose owner is the uid) while the superclass is being
 * constructed, before any Java field can be assigned; so a constructor passes its uid through
 * {@link #hold} in its {@code this(...)} call, and the class's {@code uid()} takes it on first use.
 */
final class Uids {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private Uids() {}

  /** Holds {@code uid} for the object under construction on this thread; returns a token. */
  static Object hold(String uid) {
    PENDING.set(Objects.requireNonNull(uid, "uid"));
    return Uids.class;
  }

  /** The held uid (once), or a new random one with {@code prefix} if none is held. */
  static String take(String prefix) {
    String uid = PENDING.get();
    PENDING.remove();
    return uid != null ? uid : Identifiable.randomUID(prefix);
  }
}
