package io.sparkmlp.jobs.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import onnx.Onnx.AttributeProto;
import onnx.Onnx.GraphProto;
import onnx.Onnx.NodeProto;
import onnx.Onnx.TensorProto;

/**
 * Accumulates the nodes and initializers (constant tensors) of one ONNX graph, in topological
 * order, and hands out unique value names. Float tensors are stored as {@code raw_data}
 * (little-endian IEEE 754, as the ONNX specification defines it).
 */
final class GraphBuilder {
  private final GraphProto.Builder graph;
  private final Set<String> names = new HashSet<>();

  /** A builder for the graph {@code name}. */
  GraphBuilder(String name) {
    graph = GraphProto.newBuilder().setName(name);
  }

  /** The underlying graph builder, for inputs, outputs and the doc string. */
  GraphProto.Builder graph() {
    return graph;
  }

  /**
   * Reserves {@code name} for a value; a name already taken gets a numeric suffix.
   *
   * @return the reserved name
   */
  String name(String name) {
    String n = name;
    for (int i = 1; !names.add(n); i++) {
      n = name + "_" + i;
    }
    return n;
  }

  /**
   * Adds a float32 initializer.
   *
   * @param hint   the tensor's name (made unique)
   * @param values row-major values; their count must be the product of {@code dims}
   * @param dims   the shape
   * @return the initializer's name
   */
  String floats(String hint, float[] values, long... dims) {
    checkCount(values.length, dims);
    ByteBuffer buf = ByteBuffer.allocate(Float.BYTES * values.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(values);
    String name = name(hint);
    graph.addInitializer(TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.FLOAT_VALUE).addAllDims(boxed(dims))
        .setRawData(ByteString.copyFrom(buf.array())));
    return name;
  }

  /** Adds a scalar float32 initializer and returns its name. */
  String scalar(String hint, float value) {
    return floats(hint, new float[] {value});
  }

  /** Adds an int64 initializer (for shapes) and returns its name. */
  String int64s(String hint, long[] values, long... dims) {
    checkCount(values.length, dims);
    String name = name(hint);
    TensorProto.Builder t = TensorProto.newBuilder().setName(name)
        .setDataType(TensorProto.DataType.INT64_VALUE).addAllDims(boxed(dims));
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /**
   * Appends a node of the default ONNX domain whose single output is {@code output}.
   *
   * @param op     operator type, e.g. {@code Gemm}
   * @param output the output's name, already reserved with {@link #name}
   * @param inputs input value names, in the operator's order
   * @param attrs  the node's attributes
   * @return {@code output}
   */
  String node(String op, String output, List<String> inputs, AttributeProto... attrs) {
    Objects.requireNonNull(output, "output");
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output)
        .addAllInput(inputs).addOutput(output);
    for (AttributeProto a : attrs) {
      n.addAttribute(a);
    }
    graph.addNode(n);
    return output;
  }

  /** An integer attribute. */
  static AttributeProto intAttr(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT)
        .setI(value).build();
  }

  /** A float attribute. */
  static AttributeProto floatAttr(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT)
        .setF(value).build();
  }

  private static void checkCount(int count, long[] dims) {
    long want = 1;
    for (long d : dims) {
      want *= d;
    }
    if (want != count) {
      throw new IllegalArgumentException("tensor has " + count + " values but its shape needs "
          + want);
    }
  }

  private static List<Long> boxed(long[] dims) {
    return Arrays.stream(dims).boxed().toList();
  }
}
