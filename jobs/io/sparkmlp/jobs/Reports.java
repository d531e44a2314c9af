package io.sparkmlp.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Small helpers for what the jobs print. */
final class Reports {
  private Reports() {}

  /** The project version from the jar manifest, or "dev" when run from classes. */
  static String version() {
    String v = Reports.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The scalar top-level metrics as {@code name=value} pairs on one line. */
  static String summary(JsonNode metrics) {
    StringBuilder sb = new StringBuilder();
    Iterator<Map.Entry<String, JsonNode>> it = metrics.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNumber()) {
        if (sb.length() > 0) {
          sb.append("  ");
        }
        sb.append(e.getKey()).append('=').append(v.isIntegralNumber() ? v.asText()
            : String.format("%.4f", v.asDouble()));
      }
    }
    return sb.toString();
  }
}
