package io.sparkmlp.jobs.data.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Checks the header lines of the files of one CSV input: Spark takes the column names from one
 * file and reads every other file by position, so a file with the same columns in another order
 * would silently swap them, and it renames duplicate names ({@code x1,x1} becomes
 * {@code x10,x11}). Every file must have the first file's header (names and order), without
 * duplicates; otherwise one line names the files (or the name).
 */
final class CsvHeaders {
  private CsvHeaders() {}

  /**
   * Reads the first line of each of {@code files} (decompressed by its extension) and compares.
   *
   * @param files     the input's files, as Spark lists them
   * @param delimiter the CSV delimiter
   * @throws IllegalArgumentException naming both files if two headers differ, or the file and the
   *     name if a header repeats a name
   */
  static void requireSame(Configuration conf, String[] files, String delimiter) {
    String firstFile = null;
    List<String> first = null;
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    for (String listed : files) {
      Path p = path(listed);
      String f = p.toString();
      List<String> header = header(conf, codecs, p, delimiter);
      if (header == null) {
        continue; // an empty file has no rows either
      }
      if (first == null) {
        firstFile = f;
        first = header;
        Set<String> seen = new HashSet<>();
        for (String name : header) {
          if (!seen.add(name)) {
            throw new IllegalArgumentException(f + ": the header names column '" + name
                + "' twice; column names must be unique");
          }
        }
      } else if (!header.equals(first)) {
        throw new IllegalArgumentException(f + ": its header (" + String.join(delimiter, header)
            + ") differs from that of " + firstFile + " (" + String.join(delimiter, first)
            + "); every file of a CSV input must have the same columns in the same order");
      }
    }
  }

  /**
   * The file {@code listed} names: Spark lists files as URIs ({@code q%3F.csv} for {@code q?.csv}),
   * which {@code new Path(String)} would take literally.
   */
  private static Path path(String listed) {
    try {
      return new Path(new java.net.URI(listed));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      return new Path(listed);
    }
  }

  /** The column names of the first line of {@code file}; null if the file is empty. */
  private static List<String> header(Configuration conf, CompressionCodecFactory codecs,
      Path p, String delimiter) {
    String file = p.toString();
    try {
      FileSystem fs = p.getFileSystem(conf);
      CompressionCodec codec = codecs.getCodec(p);
      try (InputStream raw = fs.open(p);
          InputStream in = codec == null ? raw : codec.createInputStream(raw);
          BufferedReader r = new BufferedReader(new InputStreamReader(in,
              StandardCharsets.UTF_8))) {
        String line = r.readLine();
        if (line == null) {
          return null;
        }
        if (line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        List<String> names = new ArrayList<>();
        for (String cell : line.split(Pattern.quote(delimiter), -1)) {
          String c = cell.strip();
          if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
            c = c.substring(1, c.length() - 1).replace("\"\"", "\"");
          }
          names.add(c);
        }
        return names;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read its header: " + e.getMessage(), e);
    }
  }
}
