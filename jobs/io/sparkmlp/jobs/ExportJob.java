package io.sparkmlp.jobs;

import io.sparkmlp.jobs.export.OnnxExport;
import io.sparkmlp.trainer.store.AtomicWrite;
import io.sparkmlp.trainer.store.ModelDirectory;
import io.sparkmlp.trainer.store.OutputKind;
import io.sparkmlp.trainer.store.OutputOwnership;
import io.sparkmlp.trainer.store.SavedModel;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import onnx.Onnx.ModelProto;
import onnx.Onnx.ValueInfoProto;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code export --model DIR --format onnx --output FILE}: writes a saved model as a standard ONNX
 * model ({@link OnnxExport}) for serving outside Spark. Needs no Spark session.
 */
final class ExportJob implements Command {

  @Override
  public String help() {
    return String.join("\n",
        "usage: spark-mlp export --model DIR --output FILE [--format onnx] [--overwrite]",
        "",
        "Writes the model in DIR as an ONNX model (opset " + OnnxExport.OPSET + ") to FILE:",
        "input `" + OnnxExport.INPUT + "` (float [N, features], raw: the model's standardization is",
        "in the graph), outputs `" + OnnxExport.PREDICTION + "` (regression: float [N, targets];"
            + " binary and",
        "multiclass: int64 class index [N]; multilabel: int64 0/1 [N, labels]) and, for",
        "classification, `" + OnnxExport.PROBABILITY + "` (float [N, classes], as predict writes"
            + " it). The class",
        "names are in the model's metadata under '" + OnnxExport.CLASSES_KEY + "'. The file is"
            + " written to a",
        "temporary path and renamed; an existing FILE is refused unless --overwrite.");
  }

  @Override
  public void run(String[] args, PrintStream out) throws Exception {
    CliArgs a = CliArgs.parse(args, Set.of("model", "output", "format"), Set.of("overwrite"));
    if (!a.positional().isEmpty()) {
      throw new IllegalArgumentException("unexpected argument '" + a.positional().get(0) + "'");
    }
    if (!a.overrides().isEmpty()) {
      throw new IllegalArgumentException("export takes no --set overrides");
    }
    String modelPath = a.required("model");
    String output = a.required("output");
    String format = a.option("format") == null ? "onnx" : a.option("format");
    if (!format.equals("onnx")) {
      throw new IllegalArgumentException("--format must be onnx, got " + format);
    }
    Configuration conf = OutputPaths.hadoopConf(Map.of());
    boolean overwrite = a.flag("overwrite");
    AtomicWrite.ReplaceCheck replace = OutputOwnership.replaceable(conf, OutputKind.ONNX,
        overwrite, "pass --overwrite", output);
    // before the model is read: a refused output fails at once
    OutputPaths.refuseOverlap(conf, output, "--output", Map.of("--model", modelPath));
    OutputPaths.check(conf, output, OutputKind.ONNX, overwrite, "pass --overwrite");
    SavedModel model = ModelDirectory.load(modelPath, conf);
    ModelProto onnx = OnnxExport.toOnnx(model);
    AtomicWrite.file(output, onnx.toByteArray(), replace, conf);
    out.println("ONNX model (opset " + OnnxExport.OPSET + ") of " + model.spec().describe()
        + " written to " + output + ": input " + OnnxExport.INPUT + ", outputs "
        + onnx.getGraph().getOutputList().stream().map(ValueInfoProto::getName)
            .collect(Collectors.joining(", ")));
  }
}
