package io.sparkmlp.trainer;

import io.sparkmlp.model.optim.OptimizerKind;
import io.sparkmlp.model.optim.Updater;
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

  /**
   * The flat copy of {@code params} and the state of the inner updater {@code inner}, its slots
   * copied straight from the live arrays (slot names sorted, so the layout does not depend on a
   * map's iteration order).
   */
  static RoundStart of(float[] params, Updater inner) {
    int n = params.length;
    Map<String, Double> sc = inner.scheduleState();
    String[] names = inner.slotNames();
    float[] v = Arrays.copyOf(params, n * (1 + names.length));
    for (int k = 0; k < names.length; k++) {
      System.arraycopy(inner.slotView(names[k]), 0, v, (k + 1) * n, n);
    }
    String[] scalarNames = sc.keySet().toArray(new String[0]);
    double[] scalars = new double[scalarNames.length];
    for (int k = 0; k < scalars.length; k++) {
      scalars[k] = sc.get(scalarNames[k]);
    }
    return new RoundStart(v, names, inner.step(), scalarNames, scalars);
  }

  /** The number of parameters P. */
  int paramCount() {
    return values.length / (1 + slotNames.length);
  }

  /**
   * Restores updater {@code u} to the state with slots taken from {@code flat} (this layout:
   * weights first), the given step and this start's schedule scalars, copying each slot once.
   */
  void restoreInto(Updater u, OptimizerKind kind, float[] flat, long atStep) {
    Map<String, Double> sc = new LinkedHashMap<>();
    for (int k = 0; k < scalars.length; k++) {
      sc.put(scalarNames[k], scalars[k]);
    }
    u.restoreState(kind, atStep, slotNames, flat, paramCount(), sc);
  }
}
