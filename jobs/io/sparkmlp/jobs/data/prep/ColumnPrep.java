package io.sparkmlp.jobs.data.prep;

import io.sparkmlp.jobs.config.MissingPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What was learned about one raw feature column, and how it becomes features.
 *
 * <ul>
 *   <li>numeric: one feature, the number; a missing value becomes {@code fill} (imputed), and with
 *       {@code indicator} a second feature is 1 when the value was missing, else 0.</li>
 *   <li>categorical: one-hot, a feature per category in {@code categories} (the most frequent
 *       first), then {@value #OTHER} for categories below the limits or first seen after training,
 *       then (policy impute) {@value #MISSING} for missing values.</li>
 * </ul>
 *
 * @param name       the column
 * @param categorical one-hot encoded (else numeric)
 * @param policy     what a missing value does
 * @param fill       numeric, impute: the value given to a missing number (NaN otherwise)
 * @param indicator  numeric: adds the missing-indicator feature
 * @param categories categorical: the vocabulary, in feature order (empty for numeric)
 */
public record ColumnPrep(String name, boolean categorical, MissingPolicy policy, double fill,
    boolean indicator, List<String> categories) implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Feature-name suffix of the other-categories slot. */
  public static final String OTHER = "<other>";
  /** Feature-name suffix of the missing-category slot. */
  public static final String MISSING = "<missing>";
  /** Feature-name suffix of a missing indicator. */
  public static final String INDICATOR = "#missing";

  /** Validates and builds the category index. */
  public ColumnPrep {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(policy, "policy");
    categories = List.copyOf(categories == null ? List.of() : categories);
    if (!categorical && policy == MissingPolicy.IMPUTE && !Double.isFinite(fill)) {
      throw new IllegalArgumentException("column '" + name + "': an imputed numeric column needs "
          + "a finite fill value, got " + fill);
    }
    if (categorical && indicator) {
      throw new IllegalArgumentException("column '" + name + "': a categorical column has a "
          + MISSING + " slot, not a missing indicator");
    }
  }

  /** Features this column gives. */
  public int width() {
    if (categorical) {
      return categories.size() + 1 + (policy == MissingPolicy.IMPUTE ? 1 : 0);
    }
    return indicator ? 2 : 1;
  }

  /** The names of the features, {@code column}, {@code column#missing}, {@code column=value}. */
  public List<String> featureNames() {
    List<String> out = new ArrayList<>(width());
    if (categorical) {
      categories.forEach(c -> out.add(name + "=" + c));
      out.add(name + "=" + OTHER);
      if (policy == MissingPolicy.IMPUTE) {
        out.add(name + "=" + MISSING);
      }
    } else {
      out.add(name);
      if (indicator) {
        out.add(name + INDICATOR);
      }
    }
    return out;
  }

  /** True if raw value {@code v} is missing for this column. */
  public boolean isMissing(Object v) {
    if (categorical) {
      return Cells.category(v) == null;
    }
    Double x = Cells.number(v);
    return x != null && x.isNaN();
  }

  /**
   * True if {@code v} is a finite number in a numeric column that a float (the type features are
   * trained in) cannot hold: beyond +-3.4e38 it would become infinite.
   */
  boolean isBeyondFloat(Object v) {
    if (categorical) {
      return false;
    }
    Double x = Cells.number(v);
    return x != null && !x.isNaN() && Math.abs(x) > Float.MAX_VALUE;
  }

  /** True if {@code v} is text that is not a number in a numeric column. */
  boolean isNonNumeric(Object v) {
    return !categorical && Cells.number(v) == null;
  }

  /** {@link #problem}: nothing wrong. */
  static final int FINE = 0;
  /** {@link #problem}: text that is not a number in a numeric column ({@link #isNonNumeric}). */
  static final int TEXT = 1;
  /** {@link #problem}: a finite number beyond the float range ({@link #isBeyondFloat}). */
  static final int RANGE = 2;
  /** {@link #problem}: a missing value ({@link #isMissing}). */
  static final int MISSING_VALUE = 3;

  /**
   * What is wrong with raw value {@code v} for this column, reading the cell once (the three
   * tests above each read it): {@link #TEXT}, {@link #RANGE}, {@link #MISSING_VALUE} or
   * {@link #FINE}. The three problems exclude each other.
   */
  int problem(Object v) {
    if (categorical) {
      return Cells.blank(v) ? MISSING_VALUE : FINE;
    }
    Double x = Cells.number(v);
    if (x == null) {
      return TEXT;
    }
    if (x.isNaN()) {
      return MISSING_VALUE;
    }
    return Math.abs(x) > Float.MAX_VALUE ? RANGE : FINE;
  }

  /**
   * Writes this column's features for raw value {@code v} at {@code out[off...]} (zeros
   * already there).
   *
   * @return false if the row is to be dropped (a missing value, policy drop)
   * @throws IllegalArgumentException for a missing value under policy fail or text in a numeric
   *     column (the check pass reports these with their row before any row is encoded)
   */
  boolean encode(Object v, double[] out, int off) {
    if (categorical) {
      String c = Cells.category(v);
      if (c == null) {
        return missing(v, () -> out[off + categories.size() + 1] = 1.0);
      }
      int slot = categories.indexOf(c);
      out[off + (slot < 0 ? categories.size() : slot)] = 1.0;
      return true;
    }
    Double x = Cells.number(v);
    if (x == null) {
      throw new IllegalArgumentException("column '" + name + "' has a non-numeric value '"
          + v + "'");
    }
    if (x.isNaN()) {
      return missing(v, () -> {
        out[off] = fill;
        if (indicator) {
          out[off + 1] = 1.0;
        }
      });
    }
    out[off] = x;
    return true;
  }

  private boolean missing(Object v, Runnable impute) {
    switch (policy) {
      case DROP -> {
        return false;
      }
      case IMPUTE -> {
        impute.run();
        return true;
      }
      default -> throw new IllegalArgumentException("column '" + name + "' has a missing value ("
          + Cells.why(v) + ")");
    }
  }

  /** The JSON form stored in model.json. */
  ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", name);
    o.put("kind", categorical ? "categorical" : "numeric");
    o.put("missing", policy.toString());
    if (!categorical) {
      if (policy == MissingPolicy.IMPUTE) {
        o.put("fill", fill);
      }
      o.put("indicator", indicator);
    } else {
      ArrayNode a = o.putArray("categories");
      categories.forEach(a::add);
    }
    return o;
  }

  /**
   * Reads the JSON form.
   *
   * @throws IllegalArgumentException naming the field
   */
  static ColumnPrep fromJson(JsonNode o, int i) {
    String where = "preparation.columns[" + i + "]";
    if (o == null || !o.isObject()) {
      throw new IllegalArgumentException(where + " must be an object");
    }
    String name = text(o, "name", where);
    String kind = text(o, "kind", where).toLowerCase(Locale.ROOT);
    if (!kind.equals("numeric") && !kind.equals("categorical")) {
      throw new IllegalArgumentException(where + ".kind must be numeric or categorical, got "
          + kind);
    }
    MissingPolicy policy = MissingPolicy.parse(text(o, "missing", where));
    boolean categorical = kind.equals("categorical");
    List<String> categories = new ArrayList<>();
    double fill = Double.NaN;
    boolean indicator = false;
    if (categorical) {
      JsonNode a = o.get("categories");
      if (a == null || !a.isArray()) {
        throw new IllegalArgumentException(where + ".categories must be an array of strings");
      }
      a.forEach(c -> categories.add(c.asText()));
    } else {
      JsonNode f = o.get("fill");
      if (f != null && !f.isNull()) {
        if (!f.isNumber()) {
          throw new IllegalArgumentException(where + ".fill must be a number");
        }
        fill = f.doubleValue();
      }
      JsonNode ind = o.get("indicator");
      indicator = ind != null && ind.asBoolean(false);
    }
    return new ColumnPrep(name, categorical, policy, fill, indicator, categories);
  }

  private static String text(JsonNode o, String field, String where) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException(where + "." + field + " must be a string");
    }
    return v.textValue();
  }
}
