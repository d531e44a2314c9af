package io.sparkmlp.model.optim;

import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reduce-on-plateau, driven by validation results (lower is better). A metric improves if it is
 * below best - threshold * |best| (the first finite metric always does). After {@code patience}
 * consecutive validations without improvement the rate becomes max(rate * factor, minLr) and the
 * count restarts (Keras convention; PyTorch's patience p is patience p + 1 here). NaN metrics
 * never improve. State: {@code plateau.best}, {@code plateau.badCount}, {@code plateau.lr}.
 */
final class PlateauSchedule implements LearningRateSchedule {
  private static final Logger LOG = LoggerFactory.getLogger(PlateauSchedule.class);

  static final String BEST = "plateau.best";
  static final String BAD_COUNT = "plateau.badCount";
  static final String LR = "plateau.lr";

  private final double factor;
  private final int patience;
  private final double threshold;
  private final double minLr;
  private double best = Double.POSITIVE_INFINITY;
  private int badCount;
  private double lr;

  PlateauSchedule(float base, float factor, int patience, float threshold, float minLr) {
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.minLr = minLr;
    this.lr = base;
  }

  @Override
  public double rate(long t) {
    return lr;
  }

  @Override
  public boolean onValidation(double metric) {
    boolean improved = Double.isInfinite(best)
        ? metric < best
        : metric < best - threshold * Math.abs(best);
    if (improved) {
      best = metric;
      badCount = 0;
      return false;
    }
    badCount++;
    if (badCount < patience) {
      return false;
    }
    badCount = 0;
    double reduced = Math.max(lr * factor, minLr);
    if (!(reduced < lr)) {
      return false;
    }
    LOG.info("validation metric {} has not improved on {} for {} validation(s): "
        + "learning rate {} -> {}", metric, best, Math.max(patience, 1), lr, reduced);
    lr = reduced;
    return true;
  }

  @Override
  public Set<String> stateKeys() {
    return Set.of(BEST, BAD_COUNT, LR);
  }

  @Override
  public void exportState(Map<String, Double> out) {
    out.put(BEST, best);
    out.put(BAD_COUNT, (double) badCount);
    out.put(LR, lr);
  }

  @Override
  public void restoreState(Map<String, Double> in) {
    double b = require(in, BEST);
    double c = require(in, BAD_COUNT);
    double r = require(in, LR);
    if (Double.isNaN(b)) {
      throw new IllegalArgumentException(BEST + " must not be NaN");
    }
    if (!(c >= 0 && c <= Integer.MAX_VALUE && c == Math.rint(c))) {
      throw new IllegalArgumentException(BAD_COUNT + " must be a non-negative integer, got " + c);
    }
    Checks.nonNegative(LR, r);
    best = b;
    badCount = (int) c;
    lr = r;
  }

  private static double require(Map<String, Double> in, String key) {
    Double v = in.get(key);
    if (v == null) {
      throw new IllegalArgumentException("updater state lacks scalar '" + key
          + "' needed by the plateau schedule");
    }
    return v;
  }
}
