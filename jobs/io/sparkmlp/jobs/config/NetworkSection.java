package io.sparkmlp.jobs.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.Initializer;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads the {@code network} section: the hidden layers from exactly one of {@code network.hidden}
 * (with {@code network.activation}) or {@code network.layers}, their dropout rates
 * ({@code network.dropout}, overridden by a {@code network.layers} element's {@code dropout}), the
 * output activation and loss (which must be the task's; an autoencoder may choose sigmoid with
 * binary cross-entropy), the autoencoder's bottleneck layer, and the initializer.
 */
final class NetworkSection {
  private NetworkSection() {}

  /**
   * Reads and validates the section.
   *
   * @throws ConfigError naming the offending key
   */
  static NetworkSettings read(ConfigReader r, Task task) {
    boolean layersForm = usesLayers(r);
    List<LayerSpec> hidden = layersForm ? layers(r) : hidden(r);
    if (hidden.isEmpty() && r.number("network.dropout") > 0) {
      throw r.fail("network.dropout", "= " + ValueRange.format(r.number("network.dropout"))
          + " needs hidden layers: dropout applies to hidden layers only, never to the output "
          + "layer (the network has none)");
    }

    Task.OutputActivation out = task.output();
    Task.Loss loss = task.loss();
    String outText = r.string("network.output-activation");
    String lossText = r.string("network.loss");
    if (task == Task.AUTOENCODER) {
      // an autoencoder may reconstruct [0, 1] features with sigmoid outputs and cross-entropy;
      // naming either one picks that pair
      boolean sigmoid = outText.equals("sigmoid") || (!lossText.equals("auto")
          && Task.Loss.parse(lossText) == Task.Loss.SIGMOID_CROSS_ENTROPY);
      if (sigmoid) {
        out = Task.OutputActivation.SIGMOID;
        loss = Task.Loss.SIGMOID_CROSS_ENTROPY;
      }
    }
    if (!outText.equals("auto") && Task.OutputActivation.parse(outText) != out) {
      throw r.fail("network.output-activation", "= " + outText + " is incompatible with task "
          + task + (task == Task.AUTOENCODER ? " and network.loss = " + lossText : "")
          + ", which needs " + out + " (or auto)");
    }
    if (!lossText.equals("auto") && Task.Loss.parse(lossText) != loss) {
      throw r.fail("network.loss", "= " + lossText + " is incompatible with task " + task
          + (task == Task.AUTOENCODER ? " and network.output-activation = " + outText : "")
          + ", which needs " + loss + " (or auto)");
    }
    int bottleneck = -1;
    if (r.isSet("network.bottleneck")) {
      bottleneck = r.integer("network.bottleneck");
      if (task != Task.AUTOENCODER) {
        throw r.fail("network.bottleneck", "is only for task autoencoder, not " + task);
      }
      if (bottleneck >= hidden.size()) {
        throw r.fail("network.bottleneck", "= " + bottleneck + " is not a hidden layer: the "
            + "network has " + hidden.size() + " (indices 0.." + (hidden.size() - 1) + ")");
      }
    }
    Initializer init = Initializer.parse(r.string("network.init"));
    return new NetworkSettings(hidden, out, loss, init, bottleneck);
  }

  /**
   * True if the hidden layers are given as {@code network.layers}.
   *
   * @throws ConfigError if both forms are given
   */
  static boolean usesLayers(ConfigReader r) {
    boolean layers = r.isSet("network.layers");
    if (layers && r.isExplicit("network.hidden")) {
      throw r.conflict(List.of("network.layers", "network.hidden"), "give either network.hidden "
          + "(with network.activation) or network.layers, not both; to replace one form from the "
          + "command line, unset the other, e.g. --set network.hidden=null");
    }
    return layers;
  }

  private static List<LayerSpec> hidden(ConfigReader r) {
    Activation a = activation(r, "network.activation", r.string("network.activation"));
    double dropout = r.number("network.dropout");
    List<LayerSpec> out = new ArrayList<>();
    for (int width : r.integers("network.hidden")) {
      out.add(new LayerSpec(width, a, dropout));
    }
    return out;
  }

  private static List<LayerSpec> layers(ConfigReader r) {
    if (r.isExplicit("network.activation")) {
      throw r.fail("network.activation", "applies only to network.hidden; with network.layers "
          + "give each layer its own activation");
    }
    ValueRange widths = KeyRegistry.get("network.hidden").range();
    ValueRange rates = KeyRegistry.get("network.dropout").range();
    double defaultDropout = r.number("network.dropout");
    ConfigList list = r.list("network.layers");
    List<LayerSpec> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String p = "network.layers[" + i + "]";
      if (!(list.get(i) instanceof ConfigObject layer)) {
        throw r.fail(p, "must be an object {width = 64, activation = relu}, got "
            + ConfigReader.describe(list.get(i)));
      }
      for (String name : new TreeSet<>(layer.keySet())) {
        if (!KeyRegistry.LAYER_FIELDS.contains(name)) {
          throw r.error(p + "." + name, "unknown key " + p + "." + name
              + KeyRegistry.closest(name, KeyRegistry.LAYER_FIELDS)
                  .map(s -> "; did you mean " + p + "." + s + "?")
                  .orElse("; a layer has width, activation and dropout"));
        }
      }
      ConfigValue w = layer.get("width");
      if (w == null || w.valueType() == ConfigValueType.NULL) {
        throw r.fail(p + ".width", "is required (the number of units, an integer >= 1)");
      }
      int width = (int) r.checkRange(p + ".width",
          r.toLong(p + ".width", w, Integer.MIN_VALUE, Integer.MAX_VALUE), widths);
      ConfigValue a = layer.get("activation");
      String text = a == null || a.valueType() == ConfigValueType.NULL
          ? KeyRegistry.DEFAULT_ACTIVATION : r.toString(p + ".activation", a);
      ConfigValue d = layer.get("dropout");
      double dropout = d == null || d.valueType() == ConfigValueType.NULL ? defaultDropout
          : r.toDouble(p + ".dropout", d, rates);
      out.add(new LayerSpec(width, activation(r, p + ".activation", text), dropout));
    }
    return out;
  }

  private static Activation activation(ConfigReader r, String key, String text) {
    Activation a;
    try {
      a = Activation.parse(text);
    } catch (IllegalArgumentException e) {
      throw r.error(key, key + ": " + e.getMessage());
    }
    if (!a.differentiable()) {
      throw r.fail(key, "= " + a + " cannot be trained: its derivative is zero almost "
          + "everywhere (use " + KeyRegistry.get("network.activation").constraint() + ")");
    }
    return a;
  }
}
