package io.sparkmlp.trainer.store;

import java.util.Locale;

/**
 * The kinds of output spark-mlp writes. An existing output is only ever replaced by one of the
 * same kind ({@link OutputOwnership}).
 */
public enum OutputKind {
  /** A model directory ({@code model.json} and weights). */
  MODEL("model", true),
  /** A Spark output directory written by {@code predict}. */
  PREDICTIONS("predictions", true),
  /** A Spark output directory written by {@code generate}. */
  GENERATED_DATA("generated data", true),
  /** The JSON metrics file written by {@code evaluate --output}. */
  METRICS("metrics", false),
  /** An HTML report written by {@code evaluate --report}. */
  REPORT("report", false),
  /** An ONNX model file written by {@code export}. */
  ONNX("ONNX model", false);

  private final String label;
  private final boolean directory;

  OutputKind(String label, boolean directory) {
    this.label = label;
    this.directory = directory;
  }

  /** What this kind is called in messages, e.g. {@code generated data}. */
  public String label() {
    return label;
  }

  /** Whether outputs of this kind are directories (otherwise single files). */
  public boolean isDirectory() {
    return directory;
  }

  /** The word written in a directory's marker file, e.g. {@code generated-data}. */
  String markerWord() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
