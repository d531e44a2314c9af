package io.sparkmlp.model.optim;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The complete mutable state of an {@link Updater}, as plain data so the trainer can write it to
 * checkpoint files without Java serialization.
 *
 * <p>The maps are copied into unmodifiable maps sorted by key (a stable order for files); the
 * arrays themselves are not copied. {@link Updater#exportState()} hands out fresh arrays and
 * {@link Updater#restoreState} copies out of them, so a state is never aliased by an updater.
 *
 * @param kind    the optimizer that produced the state
 * @param step    number of updates applied
 * @param slots   per-parameter state in the flat parameter layout: {@code "v"} (MOMENTUM,
 *                NESTEROV), {@code "G"} (ADAGRAD, RMSPROP), {@code "m"} and {@code "v"} (ADAM,
 *                ADAMW); empty for SGD
 * @param scalars schedule state: {@code plateau.best}, {@code plateau.badCount} and
 *                {@code plateau.lr} for PLATEAU; empty for the other schedules
 */
public record UpdaterState(
    OptimizerKind kind, long step, Map<String, float[]> slots, Map<String, Double> scalars) {

  /** Checks for nulls and a non-negative step; copies the maps (not the arrays). */
  public UpdaterState {
    Objects.requireNonNull(kind, "kind");
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    slots = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(slots, "slots")));
    scalars = Collections.unmodifiableMap(
        new TreeMap<>(Objects.requireNonNull(scalars, "scalars")));
    for (Map.Entry<String, float[]> e : slots.entrySet()) {
      Objects.requireNonNull(e.getValue(), () -> "slot '" + e.getKey() + "'");
    }
    for (Map.Entry<String, Double> e : scalars.entrySet()) {
      Objects.requireNonNull(e.getValue(), () -> "scalar '" + e.getKey() + "'");
    }
  }
}
