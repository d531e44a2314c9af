package io.sparkmlp.jobs.data.prep;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What one pass over the training rows learns about one raw feature column: missing and numeric
 * counts, the sum of its numbers, its first non-numeric value, its first finite number beyond the
 * float range and (for columns that are or may become categorical) how often each value occurs.
 * Partitions' statistics are merged on the driver in partition order.
 *
 * <p>Value counts cost a hash-map update per cell and a map of up to {@link #MAX_DISTINCT} entries
 * per partition shipped to the driver, which for a numeric column of a large table is most of the
 * pass. So a column that only auto-detection could make categorical ({@link Counting#WHILE_TEXT})
 * stops counting in a partition once {@link #NUMERIC_RUN} numbers have come without any text: its
 * counts are then {@link #countsStopped stopped}, and should the column still turn out categorical
 * the preparation counts its values in a pass of their own ({@link #countsOnly}).
 */
final class ColumnStats implements Serializable {
  private static final long serialVersionUID = 2L;
  /** Distinct values counted per column and partition; further new values count as overflow. */
  static final int MAX_DISTINCT = 100_000;
  /** Numbers in a row, with no text before them, after which a partition stops counting values. */
  static final int NUMERIC_RUN = 1_000;

  /** Whether a column's values are counted. */
  enum Counting {
    /** Not counted: the column cannot be categorical. */
    NONE,
    /** Every value counted: the column is categorical (declared, or decided). */
    ALWAYS,
    /** Counted until the partition shows the column numeric (see the class comment). */
    WHILE_TEXT
  }

  long missing;
  long infinite;
  long numeric;
  double sum;
  long nonNumeric;
  String firstText;
  String firstTextFile;
  String firstMissingFile;
  String firstInfiniteFile;
  /**
   * The first finite number beyond the float range (as the cell reads, untrimmed), its file, its
   * partition and its row within that partition (-1 when none).
   */
  String firstBeyondFloat;
  String firstBeyondFloatFile;
  int firstBeyondFloatPartition;
  long firstBeyondFloatRow = -1;
  Map<String, Long> counts;
  long overflow;
  /** True when some partition stopped counting this column's values (counts then null). */
  boolean countsStopped;
  private final boolean mayStop;
  /** False when {@link #sum} is not wanted: small numbers in text are then not parsed. */
  private final boolean sums;

  /**
   * Statistics of a column counted as {@code counting} says.
   *
   * @param counting whether its values are counted
   * @param sums     whether {@link #sum} is wanted (a mean to impute); without it, a number in
   *                 text whose {@link Cells#shape shape} shows it small is counted unparsed (its
   *                 value would only have gone into the sum)
   */
  ColumnStats(Counting counting, boolean sums) {
    this.counts = counting == Counting.NONE ? null : new HashMap<>();
    this.mayStop = counting == Counting.WHILE_TEXT;
    this.sums = sums;
  }


  /**
   * Adds one cell, reading it once: missing ({@link Cells#category} null), text that is not a
   * number, an infinite number, or a finite number.
   *
   * @param v         the raw value (a Double, a String or null)
   * @param file      the row's file
   * @param partition the partition being read
   * @param row       the row's index within the partition
   */
  void add(Object v, String file, int partition, long row) {
    String text = Cells.category(v);
    Double x;
    if (text == null) {
      x = null;
      if (missing++ == 0) {
        firstMissingFile = file;
      }
    } else {
      if (v instanceof Double d) {
        x = Double.isFinite(d) ? d : Double.NaN;
      } else if (!sums && Cells.shape(text) == Cells.NUMBER_SMALL) {
        // finite and within the float range: nothing else to learn from its value
        x = 0.0;
      } else {
        x = Cells.numberOfText(text);
      }
      if (x == null) {
        nonNumeric++;
        if (firstText == null) {
          firstText = text;
          firstTextFile = file;
        }
      } else if (x.isNaN()) {
        if (infinite++ == 0) {
          firstInfiniteFile = file;
        }
      } else {
        numeric++;
        sum += x;
        if (Math.abs(x) > Float.MAX_VALUE && firstBeyondFloatRow < 0) {
          firstBeyondFloat = String.valueOf(v);
          firstBeyondFloatFile = file;
          firstBeyondFloatPartition = partition;
          firstBeyondFloatRow = row;
        }
      }
    }
    if (counts != null && text != null) {
      if (mayStop && nonNumeric == 0 && numeric >= NUMERIC_RUN) {
        // numbers only so far: this partition's values will not be needed as categories
        counts = null;
        countsStopped = true;
        return;
      }
      count(text);
    }
  }

  /**
   * Counts one value only (no other statistics): the pass of {@link Preparation} that counts
   * the values of categorical columns whose first pass stopped counting.
   */
  void countsOnly(Object v) {
    String text = Cells.category(v);
    if (text != null) {
      count(text);
    }
  }

  private void count(String text) {
    Long c = counts.get(text);
    if (c != null) {
      counts.put(text, c + 1);
    } else if (counts.size() < MAX_DISTINCT) {
      counts.put(text, 1L);
    } else {
      overflow++;
    }
  }

  /** Missing values if the column is read as numbers (blank, NaN or infinite). */
  long missingAsNumber() {
    return missing + infinite;
  }

  /** Adds {@code o}'s counts to these ({@code o} is of a later partition). */
  void merge(ColumnStats o) {
    missing += o.missing;
    infinite += o.infinite;
    numeric += o.numeric;
    sum += o.sum;
    nonNumeric += o.nonNumeric;
    if (firstText == null) {
      firstText = o.firstText;
      firstTextFile = o.firstTextFile;
    }
    if (firstMissingFile == null) {
      firstMissingFile = o.firstMissingFile;
    }
    if (firstInfiniteFile == null) {
      firstInfiniteFile = o.firstInfiniteFile;
    }
    if (firstBeyondFloatRow < 0 && o.firstBeyondFloatRow >= 0) {
      firstBeyondFloat = o.firstBeyondFloat;
      firstBeyondFloatFile = o.firstBeyondFloatFile;
      firstBeyondFloatPartition = o.firstBeyondFloatPartition;
      firstBeyondFloatRow = o.firstBeyondFloatRow;
    }
    overflow += o.overflow;
    if (countsStopped || o.countsStopped) {
      countsStopped = true;
      counts = null;
    } else if (counts != null && o.counts != null) {
      o.counts.forEach((k, c) -> counts.merge(k, c, Long::sum));
    }
  }
}
