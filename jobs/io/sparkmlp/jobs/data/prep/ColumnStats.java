package io.sparkmlp.jobs.data.prep;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What one pass over the training rows learns about one raw feature column: missing and numeric
 * counts, the sum of its numbers, its first non-numeric value and (for text columns) how often
 * each value occurs. Partitions' statistics are merged on the driver in partition order.
 */
final class ColumnStats implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Distinct values counted per column and partition; further new values count as overflow. */
  static final int MAX_DISTINCT = 100_000;

  long missing;
  long infinite;
  long numeric;
  double sum;
  long nonNumeric;
  String firstText;
  String firstTextFile;
  String firstMissingFile;
  String firstInfiniteFile;
  final Map<String, Long> counts;
  long overflow;

  ColumnStats(boolean countValues) {
    this.counts = countValues ? new HashMap<>() : null;
  }

  /** Adds one cell; {@code file} is the row's file. */
  void add(Object v, String file) {
    Double x = Cells.number(v);
    String text = Cells.category(v);
    if (text == null) {
      if (missing++ == 0) {
        firstMissingFile = file;
      }
    } else if (x == null) {
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
    }
    if (counts != null && text != null) {
      Long c = counts.get(text);
      if (c != null) {
        counts.put(text, c + 1);
      } else if (counts.size() < MAX_DISTINCT) {
        counts.put(text, 1L);
      } else {
        overflow++;
      }
    }
  }

  /** Missing values if the column is read as numbers (blank, NaN or infinite). */
  long missingAsNumber() {
    return missing + infinite;
  }

  /** Adds {@code o}'s counts to these. */
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
    overflow += o.overflow;
    if (counts != null && o.counts != null) {
      o.counts.forEach((k, c) -> counts.merge(k, c, Long::sum));
    }
  }
}
