package io.sparkmlp.trainer;

import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.UpdaterState;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every partition starts a local-SGD round from ({@link SyncSettings}): the global weights and
 * the global inner optimizer state, as one flat array {@code [params | slot 1 | slot 2 ...]} of
 * (1 + slots) P floats (slots in the order of {@link UpdaterState#slots()}, i.e. by name) plus the
 * updater's step and schedule scalars. The partitions' results ({@link PartialSums}) have the same
 * flat layout, so the driver averages weights and slots in one pass. Immutable once built: tasks
 * copy out of it (in local mode the broadcast value is shared by the task threads).
 */
final class RoundStart implements Serializable {
  private static final long serialVersionUID = 1L;

  /** [(1 + slots) P] weights, then each slot. */
  final float[] values;
  /** [slots] slot names, in the order of {@link #values}. */
  final String[] slotNames;
  /** Updates applied so far (the inner updater's step). */
  final long step;
  /** Schedule scalar names and values (e.g. the plateau schedule's state). */
  final String[] scalarNames;
  final double[] scalars;

  RoundStart(float[] values, String[] slotNames, long step, String[] scalarNames,
      double[] scalars) {
    this.values = values;
    this.slotNames = slotNames;
    this.step = step;
    this.scalarNames = scalarNames;
    this.scalars = scalars;
  }

  /** The flat copy of {@code params} and the state {@code inner} of the inner updater. */
  static RoundStart of(float[] params, UpdaterState inner) {
    int n = params.length;
    String[] names = inner.slots().keySet().toArray(new String[0]);
    float[] v = Arrays.copyOf(params, n * (1 + names.length));
    for (int k = 0; k < names.length; k++) {
      System.arraycopy(inner.slots().get(names[k]), 0, v, (k + 1) * n, n);
    }
    String[] scalarNames = inner.scalars().keySet().toArray(new String[0]);
    double[] scalars = new double[scalarNames.length];
    for (int k = 0; k < scalars.length; k++) {
      scalars[k] = inner.scalars().get(scalarNames[k]);
    }
    return new RoundStart(v, names, inner.step(), scalarNames, scalars);
  }

  /** The number of parameters P. */
  int paramCount() {
    return values.length / (1 + slotNames.length);
  }

  /**
   * The inner updater state with slots taken from {@code flat} (this layout: weights first) and
   * the given step; the schedule scalars are this start's.
   */
  UpdaterState updaterState(OptimizerKind kind, float[] flat, long atStep) {
    int n = paramCount();
    Map<String, float[]> slots = new LinkedHashMap<>();
    for (int k = 0; k < slotNames.length; k++) {
      slots.put(slotNames[k], Arrays.copyOfRange(flat, (k + 1) * n, (k + 2) * n));
    }
    Map<String, Double> sc = new LinkedHashMap<>();
    for (int k = 0; k < scalars.length; k++) {
      sc.put(scalarNames[k], scalars[k]);
    }
    return new UpdaterState(kind, atStep, slots, sc);
  }
}
