package io.sparkmlp.jobs.data.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Locates the first malformed line of LibSVM input, for error messages: Spark's libsvm source
 * reports what is wrong but not where. Only used after a read has failed: streams the files on the
 * driver and stops at the first bad line. The rules are those of Spark's parser: a numeric label,
 * then {@code index:value} tokens with integer indices {@code >= 1} in strictly ascending order and
 * numeric values; blank lines and lines starting with {@code #} are skipped.
 */
final class LibsvmLines {
  private LibsvmLines() {}

  /**
   * {@code "<file>: line <n>: <problem>"} for the first malformed line under {@code path} (a file,
   * directory or glob), or null if every line is well formed or the input cannot be listed.
   */
  static String firstError(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null) {
        return null;
      }
      List<FileStatus> files = new ArrayList<>();
      for (FileStatus st : matches) {
        if (st.isDirectory()) {
          for (FileStatus c : fs.listStatus(st.getPath())) {
            String n = c.getPath().getName();
            if (c.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
              files.add(c);
            }
          }
        } else {
          files.add(st);
        }
      }
      files.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
      for (FileStatus f : files) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            fs.open(f.getPath()), StandardCharsets.UTF_8))) {
          String line;
          long n = 0;
          while ((line = in.readLine()) != null) {
            n++;
            String problem = check(line);
            if (problem != null) {
              return f.getPath() + ": line " + n + ": " + problem;
            }
          }
        }
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** What is wrong with one line, or null. */
  static String check(String raw) {
    String line = raw.trim();
    if (line.isEmpty() || line.startsWith("#")) {
      return null;
    }
    String[] tokens = line.split("\\s+");
    if (!isNumber(tokens[0])) {
      return "label '" + tokens[0] + "' is not a number";
    }
    long previous = 0;
    for (int i = 1; i < tokens.length; i++) {
      String t = tokens[i];
      int colon = t.indexOf(':');
      if (colon < 0) {
        return "token '" + t + "' is not index:value";
      }
      long index;
      try {
        index = Long.parseLong(t.substring(0, colon));
      } catch (NumberFormatException e) {
        return "token '" + t + "' has a non-integer index";
      }
      if (index < 1) {
        return "token '" + t + "': feature indices are one-based (>= 1)";
      }
      if (index <= previous) {
        return "token '" + t + "': feature indices must be strictly ascending (after "
            + previous + ")";
      }
      if (!isNumber(t.substring(colon + 1))) {
        return "token '" + t + "' has a non-numeric value";
      }
      previous = index;
    }
    return null;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
