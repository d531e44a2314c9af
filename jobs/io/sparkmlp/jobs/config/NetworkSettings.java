package io.sparkmlp.jobs.config;

import io.sparkmlp.model.Initializer;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.Task;
import java.util.List;
import java.util.Objects;

/**
 * The validated {@code network} section: everything about the network except the input and output
 * widths, which come from the data.
 *
 * @param hidden           hidden layers, input side first (may be empty)
 * @param outputActivation output activation (the task's; {@code auto} resolved)
 * @param loss             loss (the task's; {@code auto} resolved)
 * @param initializer      weight initialization
 * @param bottleneck       an autoencoder's code layer (index into {@code hidden}), or -1
 */
public record NetworkSettings(
    List<LayerSpec> hidden,
    Task.OutputActivation outputActivation,
    Task.Loss loss,
    Initializer initializer,
    int bottleneck) {

  /** Checks for nulls and copies the layer list. */
  public NetworkSettings {
    hidden = List.copyOf(Objects.requireNonNull(hidden, "hidden"));
    Objects.requireNonNull(outputActivation, "outputActivation");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(initializer, "initializer");
  }
}
