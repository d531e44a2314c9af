package io.sparkmlp.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkmlp.model.Activation;
import io.sparkmlp.model.LayerSpec;
import io.sparkmlp.model.NetworkSpec;
import io.sparkmlp.model.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecJsonTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final NetworkSpec SPEC = NetworkSpec.of(30, List.of(
      new LayerSpec(64, Activation.of(Activation.Kind.RELU)),
      new LayerSpec(32, Activation.leakyRelu(0.2f)),
      new LayerSpec(7, Activation.of(Activation.Kind.MISH))), 1, Task.BINARY);

  private static ObjectNode json() {
    return SpecJson.toJson(SPEC);
  }

  private static String fails(JsonNode node) {
    return assertThrows(IllegalArgumentException.class, () -> SpecJson.fromJson(node)).getMessage();
  }

  @Test
  void writesTheDocumentedForm() {
    assertEquals("{\"input_width\":30,\"hidden\":[{\"width\":64,\"activation\":\"relu\"},"
        + "{\"width\":32,\"activation\":\"leaky_relu(0.2)\"},{\"width\":7,\"activation\":\"mish\"}],"
        + "\"output_width\":1,\"task\":\"binary\",\"output_activation\":\"sigmoid\","
        + "\"loss\":\"binary_cross_entropy\"}", json().toString());
  }

  @Test
  void roundTripsEveryTaskAndActivation() throws Exception {
    for (Task task : Task.values()) {
      for (Activation.Kind k : Activation.Kind.values()) {
        int out = task == Task.BINARY ? 1 : task == Task.AUTOENCODER ? 5 : 3;
        NetworkSpec s = NetworkSpec.of(task, Activation.of(k), 5, 4, out);
        JsonNode reparsed = MAPPER.readTree(MAPPER.writeValueAsString(SpecJson.toJson(s)));
        assertEquals(s, SpecJson.fromJson(reparsed));
      }
    }
    NetworkSpec odd = NetworkSpec.of(2, List.of(new LayerSpec(3, Activation.leakyRelu(0.123456789f))),
        1, Task.REGRESSION);
    assertEquals(odd, SpecJson.fromJson(SpecJson.toJson(odd)));
    NetworkSpec linear = NetworkSpec.of(Task.MULTICLASS, Activation.of(Activation.Kind.RELU), 4, 3);
    assertEquals(linear, SpecJson.fromJson(SpecJson.toJson(linear)));
  }

  @Test
  void unknownFieldsAreRejected() {
    ObjectNode n = json().put("dropout", 0.5);
    assertTrue(fails(n).startsWith("spec: unknown field 'dropout'; expected [bottleneck, hidden, "),
        fails(n));
    ObjectNode layer = json();
    ((ObjectNode) layer.get("hidden").get(1)).put("bias", true);
    assertTrue(fails(layer).startsWith("spec.hidden[1]: unknown field 'bias'"), fails(layer));
  }

  @Test
  void missingFieldsAreRejected() {
    ObjectNode n = json();
    n.remove("loss");
    assertEquals("spec: missing field 'loss'", fails(n));
    ObjectNode layer = json();
    ((ObjectNode) layer.get("hidden").get(0)).remove("activation");
    assertEquals("spec.hidden[0]: missing field 'activation'", fails(layer));
  }

  @Test
  void wrongTypesAndValuesAreRejected() {
    assertTrue(fails(json().put("input_width", "30")).startsWith(
        "spec.input_width must be an integer"));
    assertTrue(fails(json().put("input_width", 30.5)).startsWith(
        "spec.input_width must be an integer"));
    assertTrue(fails(json().put("output_width", 1L << 40)).startsWith(
        "spec.output_width must be an integer"));
    assertTrue(fails(json().put("task", 3)).startsWith("spec.task must be a string"));
    assertTrue(fails(json().put("task", "ranking")).startsWith("spec.task: unknown task 'ranking'"));
    ObjectNode act = json();
    ((ObjectNode) act.get("hidden").get(2)).put("activation", "swish");
    assertTrue(fails(act).startsWith("spec.hidden[2].activation: unknown activation 'swish'"));
    ObjectNode width = json();
    ((ObjectNode) width.get("hidden").get(0)).put("width", 0);
    assertTrue(fails(width).startsWith("spec.hidden[0]: layer width must be positive"));
    assertTrue(fails(json().put("loss", "mse")).startsWith("invalid spec: loss mse is incompatible"));
    assertTrue(fails(json().put("output_width", 2)).startsWith("invalid spec: binary"));
    assertTrue(fails(json().put("input_width", 0)).startsWith("invalid spec: input width"));
    assertTrue(fails(MAPPER.createArrayNode()).startsWith("spec must be a JSON object"));
    assertTrue(fails(json().put("hidden", 3)).startsWith("spec.hidden must be an array"));
  }
}
